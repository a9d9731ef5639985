/* evdev ioctls answered like the kernel (drivers/input/evdev.c,
 * evdev_do_ioctl), from the device description and the state the events
 * written so far left.
 *
 * Why this and not umockdev's .ioctl reply files: a reply file only replays
 * answers recorded for requests of one exact size and knows nothing of
 * writes. The kernel answers every size (it copies min(asked, held) bytes)
 * and EVIOCSABS changes the device's absinfo for every later EVIOCGABS, from
 * any open file of the device, until it is unplugged. udev's hwdb fixes
 * (EVDEV_ABS_00=::100) and craie's quirks rely on exactly that, so the
 * emulation keeps one absinfo table per device (not per open file), checks
 * what the kernel checks (no EV_ABS: EINVAL; ABS_MT_SLOT: EINVAL; a short
 * buffer leaves the resolution 0) and answers EVIOCGABS from it. */
#include "evdev_state.h"

#include <errno.h>
#include <string.h>
#include <time.h>

void cr_evdev_state_init(struct cr_evdev_state *s, const struct cr_replay_device *desc)
{
    memset(s, 0, sizeof(*s));
    g_mutex_init(&s->lock);
    s->desc = desc;
    for (unsigned c = 0; c < ABS_CNT; c++) {
        const struct cr_replay_absinfo *a = &desc->absinfo[c];
        s->abs[c] = (struct input_absinfo){.minimum = a->minimum,
                                           .maximum = a->maximum,
                                           .fuzz = a->fuzz,
                                           .flat = a->flat,
                                           .resolution = a->resolution};
    }
    if (cr_replay_device_has(desc, EV_ABS, ABS_MT_SLOT)) {
        s->num_slots = CLAMP(desc->absinfo[ABS_MT_SLOT].maximum + 1, 1, CR_EVDEV_MAX_SLOTS);
        /* input_mt_init_slots: every slot starts without a contact */
        for (int i = 0; i < CR_EVDEV_MAX_SLOTS; i++)
            s->mt[ABS_MT_TRACKING_ID - ABS_MT_TOUCH_MAJOR][i] = -1;
    }
}

void cr_evdev_state_clear(struct cr_evdev_state *s)
{
    g_mutex_clear(&s->lock);
}

static void set_bit_to(unsigned long *bits, unsigned bit, bool on)
{
    if (on)
        bits[bit / 64] |= 1ul << (bit % 64);
    else
        bits[bit / 64] &= ~(1ul << (bit % 64));
}

void cr_evdev_state_event(struct cr_evdev_state *s, unsigned type, unsigned code, int value)
{
    switch (type) {
    case EV_KEY:
        if (code < KEY_CNT && value != 2)
            set_bit_to(s->key, code, value);
        break;
    case EV_LED:
        if (code < LED_CNT)
            set_bit_to(s->led, code, value);
        break;
    case EV_SND:
        if (code < SND_CNT)
            set_bit_to(s->snd, code, value);
        break;
    case EV_SW:
        if (code < SW_CNT)
            set_bit_to(s->sw, code, value);
        break;
    case EV_ABS:
        if (code == ABS_MT_SLOT && s->num_slots) {
            if (value >= 0 && value < s->num_slots)
                s->slot = value;
            s->abs[code].value = s->slot;
        } else if (code >= ABS_MT_TOUCH_MAJOR && code <= ABS_MT_TOOL_Y && s->num_slots) {
            s->mt[code - ABS_MT_TOUCH_MAJOR][s->slot] = value;
        } else if (code < ABS_CNT) {
            s->abs[code].value = value;
        }
        break;
    default:
        break;
    }
}

/* bits_to_user: the whole mask (*_MAX bits rounded up to longs), cut to
 * what the caller asked for; returns the bytes copied. */
static long bits_out(const void *bits, unsigned maxbit, void *buf, size_t size)
{
    size_t len = ((maxbit + 63) / 64) * sizeof(unsigned long);
    if (len > size)
        len = size;
    memcpy(buf, bits, len);
    return (long)len;
}

static long str_out(const char *str, void *buf, size_t size)
{
    if (!str || !*str)
        return -ENOENT;
    size_t len = strlen(str) + 1;
    if (len > size)
        len = size;
    memcpy(buf, str, len);
    return (long)len;
}

/* The device's capability bits of one type as the kernel holds them. */
static void type_bits(const struct cr_evdev_state *s, unsigned type, unsigned long *out,
                      size_t nlongs)
{
    memset(out, 0, nlongs * sizeof(long));
    if (type == 0) {
        out[0] = s->desc->types;
        return;
    }
    memcpy(out, s->desc->codes[type], MIN(nlongs * sizeof(long), sizeof(s->desc->codes[type])));
}

static long get_bit(const struct cr_evdev_state *s, unsigned type, void *buf, size_t size)
{
    static const unsigned maxbits[EV_CNT] = {
        [0] = EV_MAX,       [EV_KEY] = KEY_MAX, [EV_REL] = REL_MAX,
        [EV_ABS] = ABS_MAX, [EV_MSC] = MSC_MAX, [EV_LED] = LED_MAX,
        [EV_SND] = SND_MAX, [EV_FF] = FF_MAX,   [EV_SW] = SW_MAX,
    };
    unsigned long bits[(KEY_CNT + 63) / 64];
    if (type >= EV_CNT || (type && !maxbits[type]))
        return -EINVAL;
    type_bits(s, type, bits, G_N_ELEMENTS(bits));
    return bits_out(bits, maxbits[type], buf, size);
}

static long get_mt_slots(const struct cr_evdev_state *s, void *buf, size_t size)
{
    uint32_t code;
    if (size < sizeof(code))
        return -EINVAL;
    memcpy(&code, buf, sizeof(code));
    if (!s->num_slots || code < ABS_MT_TOUCH_MAJOR || code > ABS_MT_TOOL_Y)
        return -EINVAL;
    size_t n = MIN((size_t)s->num_slots, (size - sizeof(code)) / sizeof(int32_t));
    memcpy((char *)buf + sizeof(code), s->mt[code - ABS_MT_TOUCH_MAJOR], n * sizeof(int32_t));
    return 0;
}

bool cr_evdev_request_takes_value(unsigned long request)
{
    return request == EVIOCGRAB || request == EVIOCREVOKE || request == EVIOCRMFF;
}

long cr_evdev_state_ioctl(struct cr_evdev_state *s, unsigned long request, void *buf,
                          unsigned long arg)
{
    const struct cr_replay_device *d = s->desc;
    size_t size = _IOC_SIZE(request);
    bool has_abs = d->types & (1u << EV_ABS);

    /* requests with a fixed size */
    switch (request) {
    case EVIOCGVERSION: {
        int v = EV_VERSION;
        memcpy(buf, &v, sizeof(v));
        return 0;
    }
    case EVIOCGID: {
        struct input_id id = {d->bustype, d->vendor, d->product, d->version};
        memcpy(buf, &id, sizeof(id));
        return 0;
    }
    case EVIOCGREP: {
        if (!(d->types & (1u << EV_REP)))
            return -ENOSYS;
        unsigned int rep[2] = {250, 33}; /* the input core's defaults */
        memcpy(buf, rep, sizeof(rep));
        return 0;
    }
    case EVIOCGRAB:   /* one reader here: grabbing always succeeds */
    case EVIOCREVOKE: /* arg must be 0 */
        return request == EVIOCREVOKE && arg ? -EINVAL : 0;
    case EVIOCSCLOCKID: {
        int clk;
        memcpy(&clk, buf, sizeof(clk));
        /* accepted like the kernel; the test writes CLOCK_MONOTONIC stamps */
        return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_BOOTTIME ? 0
                                                                                        : -EINVAL;
    }
    case EVIOCGEFFECTS: {
        int n = 0;
        memcpy(buf, &n, sizeof(n));
        return 0;
    }
    default:
        break;
    }

    /* requests whose size is the caller's buffer */
    switch (request & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) {
    case EVIOCGPROP(0): {
        unsigned long props[1] = {0};
        memcpy(props, d->props, sizeof(d->props));
        return bits_out(props, INPUT_PROP_MAX, buf, size);
    }
    case EVIOCGMTSLOTS(0):
        return get_mt_slots(s, buf, size);
    case EVIOCGKEY(0):
        return bits_out(s->key, KEY_MAX, buf, size);
    case EVIOCGLED(0):
        return bits_out(s->led, LED_MAX, buf, size);
    case EVIOCGSND(0):
        return bits_out(s->snd, SND_MAX, buf, size);
    case EVIOCGSW(0):
        return bits_out(s->sw, SW_MAX, buf, size);
    case EVIOCGNAME(0):
        return str_out(d->name, buf, size);
    case EVIOCGPHYS(0):
        return str_out(d->phys, buf, size);
    case EVIOCGUNIQ(0):
        return str_out(d->uniq, buf, size);
    default:
        break;
    }

    if (_IOC_TYPE(request) != 'E')
        return -EINVAL;
    unsigned nr = _IOC_NR(request);
    if (_IOC_DIR(request) == _IOC_READ) {
        if ((nr & ~EV_MAX) == _IOC_NR(EVIOCGBIT(0, 0)))
            return get_bit(s, nr & EV_MAX, buf, size);
        if ((nr & ~ABS_MAX) == _IOC_NR(EVIOCGABS(0))) {
            if (!has_abs)
                return -EINVAL;
            struct input_absinfo abs = s->abs[nr & ABS_MAX];
            memcpy(buf, &abs, MIN(size, sizeof(abs)));
            return 0;
        }
    }
    if (_IOC_DIR(request) == _IOC_WRITE && (nr & ~ABS_MAX) == _IOC_NR(EVIOCSABS(0))) {
        if (!has_abs)
            return -EINVAL;
        unsigned code = nr & ABS_MAX;
        struct input_absinfo abs = {0};
        memcpy(&abs, buf, MIN(size, sizeof(abs)));
        if (size < sizeof(abs))
            abs.resolution = 0;
        if (code == ABS_MT_SLOT) /* the number of slots cannot change */
            return -EINVAL;
        s->abs[code] = abs;
        return 0;
    }
    return -EINVAL;
}
