/* The libinput adapter: context, fd source, log, device life.
 *
 * Which devices craie reads itself: touch screens and IR frames (libinput
 * touch), pens (libinput tablet tools) and absolute pointers (some IR frames
 * and whiteboards present themselves as a mouse with absolute axes).
 * Relative mice and touchpads are left to the window system, which moves the
 * cursor with them; keyboards are reported (CAP_KEYBOARD) but their keys are
 * not read here.
 *
 * Quirks are applied where the kernel device is opened (open_restricted), as
 * udev's hwdb does with EVDEV_ABS_00=::100: a pen whose ABS_X/ABS_Y
 * resolution is 0 gets the quirk's resolution with EVIOCSABS before libinput
 * reads the axes, so libinput accepts it instead of ignoring it ("missing
 * tablet capabilities: resolution"). The change lives in the kernel device
 * until it is unplugged, as a udev fix would.
 *
 * Latency note: libinput 1.22 smooths a tablet tool's AXIS positions (the
 * mean of the last 4 raw positions, libinput's AttrTabletSmoothing); TIP and
 * PROXIMITY events carry the raw position. Ink following the pen lags by
 * about 1.5 frames of the pen's report rate because of it. */
#include "input/li_private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"

#define MOD "input"

/* ---- libinput's log ---- */

static void log_handler(struct libinput *li, enum libinput_log_priority prio, const char *fmt,
                        va_list args)
{
    char *msg = g_strdup_vprintf(fmt, args);
    g_strchomp(msg);
    if (prio >= LIBINPUT_LOG_PRIORITY_ERROR)
        cr_warn(MOD, "libinput: %s", msg);
    else if (prio >= LIBINPUT_LOG_PRIORITY_INFO)
        cr_info(MOD, "libinput: %s", msg);
    else
        cr_debug(MOD, "libinput: %s", msg);
    g_free(msg);
}

/* ---- opening devices, quirks ---- */

static bool has_bit(const unsigned long *bits, unsigned bit)
{
    const unsigned per = 8 * sizeof(unsigned long);
    return bits[bit / per] & (1ul << (bit % per));
}

/* Sets the resolution of one axis when the kernel reports none. */
static void fix_resolution(int fd, const char *name, unsigned code, int resolution,
                           const char *quirk)
{
    struct input_absinfo abs;
    if (resolution <= 0 || ioctl(fd, EVIOCGABS(code), &abs) < 0 || abs.resolution != 0)
        return;
    abs.resolution = resolution;
    if (ioctl(fd, EVIOCSABS(code), &abs) < 0) {
        cr_warn(MOD, "%s: cannot set the %s resolution (%s)", name, code == ABS_X ? "x" : "y",
                g_strerror(errno));
        return;
    }
    cr_info(MOD, "%s: %s resolution set to %d units/mm (quirk %s)", name, code == ABS_X ? "x" : "y",
            resolution, quirk);
}

static void apply_quirks(struct cr_li_adapter *a, int fd)
{
    struct input_id id;
    char name[256] = "";
    unsigned long absbits[(ABS_CNT + 8 * sizeof(long) - 1) / (8 * sizeof(long))] = {0};
    struct cr_quirk_attrs q;

    if (ioctl(fd, EVIOCGID, &id) < 0 || ioctl(fd, EVIOCGNAME(sizeof(name) - 1), name) < 0 ||
        ioctl(fd, EVIOCGBIT(EV_ABS, sizeof(absbits)), absbits) < 0)
        return;
    memset(&q, 0, sizeof(q));
    if (!cr_quirks_match(a->quirks, id.vendor, id.product, name, &q))
        return;
    if (has_bit(absbits, ABS_X))
        fix_resolution(fd, name, ABS_X, q.resolution_x, q.applied);
    if (has_bit(absbits, ABS_Y))
        fix_resolution(fd, name, ABS_Y, q.resolution_y, q.applied);
}

static int open_restricted(const char *path, int flags, void *user)
{
    struct cr_li_adapter *a = user;
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        cr_warn(MOD, "cannot open %s: %s", path, g_strerror(err));
        return -err;
    }
    if (a->quirks)
        apply_quirks(a, fd);
    return fd;
}

static void close_restricted(int fd, void *user)
{
    close(fd);
}

static const struct libinput_interface li_interface = {
    .open_restricted = open_restricted,
    .close_restricted = close_restricted,
};

/* ---- devices ---- */

static void copy_key_part(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (; s && *s && n + 1 < size; s++, n++)
        out[n] = (g_ascii_isalnum(*s) || *s == '.' || *s == '_' || *s == '-') ? *s : '_';
    out[n] = '\0';
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Key, direct flag from the udev device (see li_adapter.h for the key). */
static void describe_from_udev(struct cr_li_device *d)
{
    struct udev_device *ud = libinput_device_get_udev_device(d->dev);
    struct udev_device *input =
        ud ? udev_device_get_parent_with_subsystem_devtype(ud, "input", NULL) : NULL;
    const char *serial = NULL, *phys = NULL, *props = NULL;
    if (ud)
        serial = nonempty(udev_device_get_property_value(ud, "ID_SERIAL_SHORT"));
    if (input) {
        if (!serial)
            serial = nonempty(udev_device_get_sysattr_value(input, "uniq"));
        phys = udev_device_get_sysattr_value(input, "phys");
        props = udev_device_get_sysattr_value(input, "properties");
    }
    if (props && (g_ascii_strtoull(props, NULL, 16) & (1u << INPUT_PROP_DIRECT)))
        d->info.direct = true;

    char name[128], tail[128];
    copy_key_part(name, sizeof(name), d->info.name);
    copy_key_part(tail, sizeof(tail), serial ? serial : phys ? phys : "");
    /* a key longer than the field is cut, the same way every time */
    g_autofree char *key =
        g_strdup_printf("%04x:%04x:%s:%s", d->info.vendor, d->info.product, name, tail);
    g_strlcpy(d->info.key, key, sizeof(d->info.key));
    if (ud)
        udev_device_unref(ud);
}

static struct cr_li_device *device_new(struct cr_li_adapter *a, struct libinput_device *dev)
{
    struct cr_li_device *d = cr_xcalloc(1, sizeof(*d));
    d->dev = libinput_device_ref(dev);
    struct cr_input_device_info *info = &d->info;
    info->id = a->next_id++;
    g_strlcpy(info->name, libinput_device_get_name(dev), sizeof(info->name));
    g_strlcpy(info->sysname, libinput_device_get_sysname(dev), sizeof(info->sysname));
    info->vendor = libinput_device_get_id_vendor(dev);
    info->product = libinput_device_get_id_product(dev);
    if (libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_POINTER))
        info->caps |= CR_INPUT_CAP_POINTER;
    if (libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TOUCH))
        info->caps |= CR_INPUT_CAP_TOUCH;
    if (libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TABLET_TOOL))
        info->caps |= CR_INPUT_CAP_PEN;
    if (libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_KEYBOARD))
        info->caps |= CR_INPUT_CAP_KEYBOARD;
    /* libinput's touch devices are touch screens (touchpads are pointers) */
    info->direct = (info->caps & CR_INPUT_CAP_TOUCH) != 0;
    info->calibratable = libinput_device_config_calibration_has_matrix(dev);
    if (libinput_device_get_size(dev, &info->width_mm, &info->height_mm) != 0)
        info->width_mm = info->height_mm = 0;
    describe_from_udev(d);
    if (a->quirks &&
        cr_quirks_match(a->quirks, info->vendor, info->product, info->name, &d->quirks))
        g_strlcpy(info->quirks, d->quirks.applied, sizeof(info->quirks));
    libinput_device_set_user_data(dev, d);
    return d;
}

static void device_free(gpointer p)
{
    struct cr_li_device *d = p;
    libinput_device_set_user_data(d->dev, NULL);
    libinput_device_unref(d->dev);
    g_free(d);
}

static void device_added(struct cr_li_adapter *a, struct libinput_device *dev)
{
    struct cr_li_device *d = device_new(a, dev);
    g_ptr_array_add(a->devices, d);
    const struct cr_input_device_info *i = &d->info;
    cr_info(MOD, "device %u %s \"%s\" (%s%s%s%s%s%s%s%s)", i->id, i->sysname, i->name,
            i->caps & CR_INPUT_CAP_TOUCH ? "touch " : "", i->caps & CR_INPUT_CAP_PEN ? "pen " : "",
            i->caps & CR_INPUT_CAP_POINTER ? "pointer " : "",
            i->caps & CR_INPUT_CAP_KEYBOARD ? "keyboard " : "", i->direct ? "direct" : "indirect",
            i->calibratable ? ", calibratable" : "", *i->quirks ? ", quirks " : "", i->quirks);
    if (a->cb->device_added)
        a->cb->device_added(a->user, i);
}

static void device_removed(struct cr_li_adapter *a, struct libinput_device *dev)
{
    struct cr_li_device *d = libinput_device_get_user_data(dev);
    if (!d)
        return;
    cr_li_cancel_contacts(a, d);
    uint32_t id = d->info.id;
    cr_info(MOD, "device %u %s removed", id, d->info.sysname);
    g_ptr_array_remove(a->devices, d);
    if (a->cb->device_removed)
        a->cb->device_removed(a->user, id);
}

/* ---- the loop ---- */

/* When a device goes, libinput first ends its contacts with ordinary touch
 * up, tip up and proximity out events, then removes it, all in the same
 * dispatch. Those endings are no lift of a finger or a pen: the device's
 * removal is looked for in the whole batch first, so that they become
 * CANCELs (a button under the finger must not be pressed by an unplug). */
static void dispatch(struct cr_li_adapter *a)
{
    struct libinput_event *ev;
    GPtrArray *batch = g_ptr_array_new();
    if (libinput_dispatch(a->li) != 0)
        cr_warn(MOD, "libinput_dispatch failed");
    while ((ev = libinput_get_event(a->li)))
        g_ptr_array_add(batch, ev);
    for (guint i = 0; i < batch->len; i++) {
        ev = g_ptr_array_index(batch, i);
        if (libinput_event_get_type(ev) == LIBINPUT_EVENT_DEVICE_REMOVED) {
            struct cr_li_device *d = libinput_device_get_user_data(libinput_event_get_device(ev));
            if (d)
                d->removing = true;
        }
    }
    for (guint i = 0; i < batch->len; i++) {
        ev = g_ptr_array_index(batch, i);
        switch (libinput_event_get_type(ev)) {
        case LIBINPUT_EVENT_DEVICE_ADDED:
            device_added(a, libinput_event_get_device(ev));
            break;
        case LIBINPUT_EVENT_DEVICE_REMOVED:
            device_removed(a, libinput_event_get_device(ev));
            break;
        default:
            cr_li_handle_event(a, ev);
            break;
        }
        libinput_event_destroy(ev);
    }
    g_ptr_array_free(batch, TRUE);
}

static gboolean on_fd(gint fd, GIOCondition cond, gpointer user)
{
    dispatch(user);
    return G_SOURCE_CONTINUE;
}

/* Devices present at start are queued by libinput_udev_assign_seat before
 * its fd becomes readable: hand them over on the first loop iteration. */
static gboolean on_idle(gpointer user)
{
    struct cr_li_adapter *a = user;
    g_source_unref(a->idle_source);
    a->idle_source = NULL;
    dispatch(a);
    return G_SOURCE_REMOVE;
}

struct cr_li_adapter *cr_li_adapter_new(GMainContext *ctx, const char *seat,
                                        const struct cr_quirks *quirks,
                                        const struct cr_li_callbacks *cb, void *user,
                                        GError **error)
{
    struct cr_li_adapter *a = cr_xcalloc(1, sizeof(*a));
    a->ctx = g_main_context_ref(ctx);
    a->quirks = quirks;
    a->cb = cb;
    a->user = user;
    a->next_id = CR_INPUT_DEVICE_FIRST;
    a->devices = g_ptr_array_new_with_free_func(device_free);
    if (!seat)
        seat = "seat0";

    a->udev = udev_new();
    if (!a->udev) {
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot start udev: %s",
                    g_strerror(errno));
        goto err_udev;
    }
    a->li = libinput_udev_create_context(&li_interface, a, a->udev);
    if (!a->li) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create a libinput context");
        goto err_li;
    }
    libinput_log_set_handler(a->li, log_handler);
    libinput_log_set_priority(a->li, cr_log_is_verbose() ? LIBINPUT_LOG_PRIORITY_DEBUG
                                                         : LIBINPUT_LOG_PRIORITY_INFO);
    if (libinput_udev_assign_seat(a->li, seat) != 0) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "libinput cannot use seat %s", seat);
        goto err_seat;
    }

    a->fd_source = g_unix_fd_source_new(libinput_get_fd(a->li), G_IO_IN);
    g_source_set_callback(a->fd_source, G_SOURCE_FUNC(on_fd), a, NULL);
    g_source_set_name(a->fd_source, "libinput");
    g_source_attach(a->fd_source, ctx);
    a->idle_source = g_idle_source_new();
    g_source_set_callback(a->idle_source, on_idle, a, NULL);
    g_source_attach(a->idle_source, ctx);
    cr_debug(MOD, "libinput started on %s", seat);
    return a;

err_seat:
    libinput_unref(a->li);
err_li:
    udev_unref(a->udev);
err_udev:
    g_ptr_array_unref(a->devices);
    g_main_context_unref(a->ctx);
    g_free(a);
    return NULL;
}

void cr_li_adapter_free(struct cr_li_adapter *a)
{
    if (!a)
        return;
    if (a->idle_source) {
        g_source_destroy(a->idle_source);
        g_source_unref(a->idle_source);
    }
    g_source_destroy(a->fd_source);
    g_source_unref(a->fd_source);
    g_ptr_array_unref(a->devices); /* before the context: they hold device refs */
    libinput_unref(a->li);
    udev_unref(a->udev);
    g_main_context_unref(a->ctx);
    g_free(a);
}

static struct cr_li_device *find(struct cr_li_adapter *a, uint32_t id)
{
    for (guint i = 0; i < a->devices->len; i++) {
        struct cr_li_device *d = g_ptr_array_index(a->devices, i);
        if (d->info.id == id)
            return d;
    }
    return NULL;
}

bool cr_li_adapter_use_raw(struct cr_li_adapter *a, uint32_t device_id, bool raw)
{
    struct cr_li_device *d = find(a, device_id);
    if (!d || !libinput_device_config_calibration_has_matrix(d->dev))
        return false;
    float m[6] = {1, 0, 0, 0, 1, 0};
    if (!raw)
        libinput_device_config_calibration_get_default_matrix(d->dev, m);
    enum libinput_config_status st = libinput_device_config_calibration_set_matrix(d->dev, m);
    if (st != LIBINPUT_CONFIG_STATUS_SUCCESS) {
        cr_warn(MOD, "device %u: cannot set the calibration matrix: %s", device_id,
                libinput_config_status_to_str(st));
        return false;
    }
    cr_debug(MOD, "device %u: %s positions", device_id, raw ? "raw" : "default-calibrated");
    return true;
}

GArray *cr_li_adapter_devices(struct cr_li_adapter *a)
{
    GArray *out =
        g_array_sized_new(FALSE, FALSE, sizeof(struct cr_input_device_info), a->devices->len);
    for (guint i = 0; i < a->devices->len; i++) {
        struct cr_li_device *d = g_ptr_array_index(a->devices, i);
        g_array_append_val(out, d->info);
    }
    return out;
}
