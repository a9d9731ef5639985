/* Emulated input devices on umockdev (see testbed.h). */
#include "testbed.h"

#include <errno.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <umockdev.h>
#include <unistd.h>

#include "common/util.h"
#include "evdev_state.h"

struct cr_testbed_device {
    struct cr_testbed *tb;
    struct cr_replay_device spec; /* owned copy, no events */
    int num;
    char node[32], syspath[128], input_syspath[64];
    int fd; /* the PTY master umockdev writes the node's data through; umockdev's */
    UMockdevIoctlBase *handler;
    struct cr_evdev_state state;
    bool removed;
};

struct cr_testbed {
    UMockdevTestbed *umockdev;
    char *root;
    GPtrArray *devices; /* every device added, removed ones too (see remove) */
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void device_free(gpointer p)
{
    struct cr_testbed_device *d = p;
    if (d->handler) {
        /* late ioctls from files still open get ENOENT, not freed memory */
        g_signal_handlers_disconnect_by_data(d->handler, d);
        g_object_unref(d->handler);
    }
    cr_evdev_state_clear(&d->state);
    g_free(d->spec.node);
    g_free(d->spec.name);
    g_free(d->spec.phys);
    g_free(d->spec.uniq);
    g_strfreev(d->spec.udev_properties);
    g_free(d);
}

struct cr_testbed *cr_testbed_new(GError **error)
{
    struct cr_testbed *tb = cr_xcalloc(1, sizeof(*tb));
    tb->umockdev = umockdev_testbed_new();
    if (!tb->umockdev) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "umockdev cannot create a testbed");
        g_free(tb);
        return NULL;
    }
    tb->root = umockdev_testbed_get_root_dir(tb->umockdev);
    tb->devices = g_ptr_array_new_with_free_func(device_free);
    return tb;
}

void cr_testbed_free(struct cr_testbed *tb)
{
    if (!tb)
        return;
    for (guint i = 0; i < tb->devices->len; i++) {
        struct cr_testbed_device *d = g_ptr_array_index(tb->devices, i);
        g_signal_handlers_disconnect_by_data(d->handler, d);
    }
    g_object_unref(tb->umockdev);
    g_ptr_array_unref(tb->devices);
    g_free(tb->root);
    g_free(tb);
}

const char *cr_testbed_root(const struct cr_testbed *tb)
{
    return tb->root;
}

/* ---- ioctls, on umockdev's worker thread ---- */

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user)
{
    struct cr_testbed_device *d = user;
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    UMockdevIoctlData *buf = NULL;
    unsigned long value = 0;
    long ret;

    if (_IOC_TYPE(request) != 'E') {
        umockdev_ioctl_client_complete(client, -1, ENOTTY);
        return TRUE;
    }
    if (cr_evdev_request_takes_value(request) || _IOC_SIZE(request) == 0) {
        memcpy(&value, arg->data, MIN((size_t)arg->data_len, sizeof(value)));
    } else {
        GError *err = NULL;
        buf = umockdev_ioctl_data_resolve(arg, 0, _IOC_SIZE(request), &err);
        if (!buf) {
            g_clear_error(&err);
            umockdev_ioctl_client_complete(client, -1, EFAULT);
            return TRUE;
        }
    }
    g_mutex_lock(&d->state.lock);
    ret = cr_evdev_state_ioctl(&d->state, request, buf ? buf->data : NULL, value);
    g_mutex_unlock(&d->state.lock);
    umockdev_ioctl_client_complete(client, ret < 0 ? -1 : ret, ret < 0 ? (int)-ret : 0);
    if (buf)
        g_object_unref(buf);
    return TRUE;
}

/* ---- adding devices ---- */

/* A kernel bitmask as sysfs and uevents print it: hex longs, most
 * significant first, leading zero longs dropped. */
static void append_mask(GString *s, const uint8_t *bytes, size_t nbytes)
{
    size_t nlongs = (nbytes + 7) / 8;
    uint64_t words[CR_REPLAY_CODE_CNT / 64] = {0};
    for (size_t i = 0; i < nbytes; i++)
        words[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
    while (nlongs > 1 && !words[nlongs - 1])
        nlongs--;
    for (size_t i = nlongs; i-- > 0;)
        g_string_append_printf(s, "%" G_GINT64_MODIFIER "x%s", words[i], i ? " " : "");
}

static void mask_line(GString *s, const char *prefix, const uint8_t *bytes, size_t nbytes)
{
    g_string_append(s, prefix);
    append_mask(s, bytes, nbytes);
    g_string_append_c(s, '\n');
}

/* Sysfs attribute values escape backslashes and newlines (umockdev format). */
static void attr_line(GString *s, const char *name, const char *value)
{
    g_string_append_printf(s, "A: %s=", name);
    for (const char *c = value; *c; c++) {
        if (*c == '\\')
            g_string_append(s, "\\\\");
        else if (*c == '\n')
            g_string_append(s, "\\n");
        else
            g_string_append_c(s, *c);
    }
    g_string_append_c(s, '\n');
}

/* The umockdev description: the event node and its parent input device, as
 * the kernel and udev's input_id builtin would show them (the udev
 * properties come from the spec, like a recording's). */
static char *describe(const struct cr_testbed_device *d)
{
    const struct cr_replay_device *sp = &d->spec;
    GString *s = g_string_new(NULL);
    uint8_t types[4];
    memcpy(types, &sp->types, sizeof(types));

    /* "P:" paths are under /sys */
    g_string_append_printf(s, "P: %s\nN: input/event%d\n", d->syspath + 4, d->num);
    g_string_append_printf(s, "E: DEVNAME=/dev/input/event%d\nE: MAJOR=13\nE: MINOR=%d\n", d->num,
                           64 + d->num);
    g_string_append(s, "E: SUBSYSTEM=input\n");
    for (char **p = sp->udev_properties; p && *p; p++)
        g_string_append_printf(s, "E: %s\n", *p);
    g_string_append_printf(s, "A: dev=13:%d\n\n", 64 + d->num);

    g_string_append_printf(s, "P: %s\nE: SUBSYSTEM=input\n", d->input_syspath + 4);
    g_string_append_printf(s, "E: NAME=\"%s\"\nE: PHYS=\"%s\"\n", sp->name, sp->phys);
    if (*sp->uniq)
        g_string_append_printf(s, "E: UNIQ=\"%s\"\n", sp->uniq);
    g_string_append_printf(s, "E: PRODUCT=%x/%x/%x/%x\n", sp->bustype, sp->vendor, sp->product,
                           sp->version);
    mask_line(s, "E: PROP=", sp->props, sizeof(sp->props));
    mask_line(s, "E: EV=", types, sizeof(types));
    static const struct {
        unsigned type;
        const char *name, *attr;
        size_t bytes;
    } masks[] = {
        {EV_KEY, "KEY", "key", KEY_CNT / 8}, {EV_REL, "REL", "rel", REL_CNT / 8},
        {EV_ABS, "ABS", "abs", ABS_CNT / 8}, {EV_MSC, "MSC", "msc", 1},
        {EV_SW, "SW", "sw", SW_CNT / 8},     {EV_LED, "LED", "led", 2},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(masks); i++) {
        if (!(sp->types & (1u << masks[i].type)))
            continue;
        g_autofree char *prefix = g_strdup_printf("E: %s=", masks[i].name);
        mask_line(s, prefix, sp->codes[masks[i].type], masks[i].bytes);
    }
    for (char **p = sp->udev_properties; p && *p; p++)
        if (g_str_has_prefix(*p, "ID_INPUT"))
            g_string_append_printf(s, "E: %s\n", *p);
    attr_line(s, "name", sp->name);
    attr_line(s, "phys", sp->phys);
    attr_line(s, "uniq", sp->uniq);
    g_string_append(s, "A: properties=");
    append_mask(s, sp->props, sizeof(sp->props));
    g_string_append_printf(s, "\nA: id/bustype=%04x\nA: id/vendor=%04x\n", sp->bustype, sp->vendor);
    g_string_append_printf(s, "A: id/product=%04x\nA: id/version=%04x\n", sp->product, sp->version);
    mask_line(s, "A: capabilities/ev=", types, sizeof(types));
    for (size_t i = 0; i < G_N_ELEMENTS(masks); i++) {
        g_autofree char *prefix = g_strdup_printf("A: capabilities/%s=", masks[i].attr);
        mask_line(s, prefix, sp->codes[masks[i].type], masks[i].bytes);
    }
    return g_string_free(s, FALSE);
}

static bool number_taken(const struct cr_testbed *tb, int num)
{
    for (guint i = 0; i < tb->devices->len; i++) {
        const struct cr_testbed_device *d = g_ptr_array_index(tb->devices, i);
        if (d->num == num) /* removed ones too: a new device gets a new node */
            return true;
    }
    return false;
}

struct cr_testbed_device *cr_testbed_add_device(struct cr_testbed *tb,
                                                const struct cr_replay_device *spec, GError **error)
{
    struct cr_testbed_device *d = cr_xcalloc(1, sizeof(*d));
    d->tb = tb;
    d->spec = *spec;
    d->spec.node = NULL;
    d->spec.name = g_strdup(spec->name ? spec->name : "");
    d->spec.phys = g_strdup(spec->phys ? spec->phys : "");
    d->spec.uniq = g_strdup(spec->uniq ? spec->uniq : "");
    d->spec.udev_properties = g_strdupv(spec->udev_properties);
    d->spec.events = NULL;
    d->spec.n_events = 0;
    d->num = MAX(cr_replay_device_event_number(spec), 0);
    while (number_taken(tb, d->num))
        d->num++;
    snprintf(d->node, sizeof(d->node), "/dev/input/event%d", d->num);
    snprintf(d->input_syspath, sizeof(d->input_syspath), "/sys/devices/virtual/input/input%d",
             100 + d->num);
    snprintf(d->syspath, sizeof(d->syspath), "%s/event%d", d->input_syspath, d->num);
    d->spec.node = g_strdup(d->node);
    cr_evdev_state_init(&d->state, &d->spec);
    d->fd = -1;

    /* the ioctl handler first: the "add" uevent makes libinput open the
     * node at once */
    d->handler = umockdev_ioctl_base_new();
    g_signal_connect(d->handler, "handle-ioctl", G_CALLBACK(on_ioctl), d);
    g_ptr_array_add(tb->devices, d);
    if (!umockdev_testbed_attach_ioctl(tb->umockdev, d->node, d->handler, error))
        goto err;
    char *desc = describe(d);
    bool added = umockdev_testbed_add_from_string(tb->umockdev, desc, error);
    g_free(desc);
    if (!added)
        goto err;
    d->fd = umockdev_testbed_get_dev_fd(tb->umockdev, d->node);
    if (d->fd < 0) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no emulated node for %s", d->node);
        goto err;
    }
    return d;

err:
    d->removed = true; /* stays in tb->devices until cr_testbed_free */
    return NULL;
}

struct cr_testbed_device *cr_testbed_add_device_file(struct cr_testbed *tb, const char *path,
                                                     GError **error)
{
    struct cr_replay *r = cr_replay_load_file(path, error);
    if (!r)
        return NULL;
    struct cr_testbed_device *d = cr_testbed_add_device(tb, &r->devices[0], error);
    cr_replay_free(r);
    return d;
}

const char *cr_testbed_device_node(const struct cr_testbed_device *d)
{
    return d->node;
}

const char *cr_testbed_device_syspath(const struct cr_testbed_device *d)
{
    return d->syspath;
}

bool cr_testbed_device_absinfo(struct cr_testbed_device *d, unsigned code,
                               struct cr_replay_absinfo *out)
{
    if (code >= ABS_CNT)
        return false;
    g_mutex_lock(&d->state.lock);
    struct input_absinfo a = d->state.abs[code];
    g_mutex_unlock(&d->state.lock);
    *out = (struct cr_replay_absinfo){a.minimum, a.maximum, a.fuzz, a.flat, a.resolution};
    return true;
}

bool cr_testbed_device_is_open(const struct cr_testbed_device *d)
{
    /* umockdev backs the node with a PTY whose slave end only readers hold:
     * its master hangs up while nobody has the node open */
    if (d->removed)
        return false;
    struct pollfd p = {d->fd, POLLOUT, 0};
    if (poll(&p, 1, 0) < 0)
        return false;
    return !(p.revents & POLLHUP);
}

bool cr_testbed_device_wait_open(const struct cr_testbed_device *d, int timeout_ms)
{
    int64_t end = now_us() + (int64_t)timeout_ms * 1000;
    while (!cr_testbed_device_is_open(d)) {
        if (now_us() > end)
            return false;
        g_usleep(2000);
    }
    return true;
}

/* ---- events ---- */

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            if (poll(&pfd, 1, 1000) <= 0)
                return false;
            continue;
        }
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

int64_t cr_testbed_write_frame(struct cr_testbed_device *d, const struct cr_testbed_event *ev,
                               size_t n)
{
    struct input_event buf[64];
    if (d->removed || n + 1 > G_N_ELEMENTS(buf))
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    g_mutex_lock(&d->state.lock);
    for (size_t i = 0; i <= n; i++) {
        buf[i].input_event_sec = ts.tv_sec;
        buf[i].input_event_usec = ts.tv_nsec / 1000;
        buf[i].type = i < n ? ev[i].type : EV_SYN;
        buf[i].code = i < n ? ev[i].code : SYN_REPORT;
        buf[i].value = i < n ? ev[i].value : 0;
        cr_evdev_state_event(&d->state, buf[i].type, buf[i].code, buf[i].value);
    }
    g_mutex_unlock(&d->state.lock);
    if (!write_all(d->fd, buf, sizeof(buf[0]) * (n + 1)))
        return -1;
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void cr_testbed_remove_device(struct cr_testbed *tb, struct cr_testbed_device *d)
{
    if (d->removed)
        return;
    d->removed = true;
    umockdev_testbed_uevent(tb->umockdev, d->syspath, "remove");
    umockdev_testbed_remove_device(tb->umockdev, d->input_syspath);
    /* the state stays until cr_testbed_free: a program may still ioctl the
     * file it has open until it handles the uevent */
}

/* ---- replay ---- */

struct cursor {
    const struct cr_replay_device *dev;
    struct cr_testbed_device *out;
    size_t next; /* index of the next event */
};

long cr_testbed_replay(const struct cr_replay *rec, struct cr_testbed_device *const *devs,
                       double speed, void (*wait)(int64_t deadline_us, void *user), void *user)
{
    struct cursor *c = g_new0(struct cursor, rec->n_devices);
    /* The schedule starts when the first frame has been written (its
     * kernel time is then behind us): a first write delayed by a loaded
     * machine delays the whole replay instead of squeezing it. */
    int64_t t0 = INT64_MAX, start = now_us();
    long frames = 0;
    if (speed <= 0)
        speed = 1;
    for (size_t i = 0; i < rec->n_devices; i++) {
        c[i].dev = &rec->devices[i];
        c[i].out = devs[i];
        if (c[i].out && c[i].dev->n_events)
            t0 = MIN(t0, c[i].dev->events[0].time_us);
    }
    for (;;) {
        /* the device whose next frame is the earliest */
        struct cursor *best = NULL;
        for (size_t i = 0; i < rec->n_devices; i++)
            if (c[i].out && c[i].next < c[i].dev->n_events &&
                (!best ||
                 c[i].dev->events[c[i].next].time_us < best->dev->events[best->next].time_us))
                best = &c[i];
        if (!best)
            break;
        const struct cr_replay_event *e = &best->dev->events[best->next];
        int64_t offset = (int64_t)((double)(e->time_us - t0) / speed);
        int64_t due = start + offset;
        if (wait)
            wait(due, user);
        else if (due > now_us())
            g_usleep((gulong)(due - now_us()));

        struct cr_testbed_event frame[63];
        size_t n = 0;
        for (; best->next < best->dev->n_events; best->next++) {
            e = &best->dev->events[best->next];
            if (e->type == EV_SYN && e->code == SYN_REPORT)
                break;
            if (n < G_N_ELEMENTS(frame))
                frame[n++] = (struct cr_testbed_event){e->type, e->code, e->value};
        }
        best->next++; /* past the SYN_REPORT */
        if (n && cr_testbed_write_frame(best->out, frame, n) < 0) {
            frames = -1;
            break;
        }
        if (n && frames++ == 0)
            start = now_us() - offset;
    }
    g_free(c);
    return frames;
}
