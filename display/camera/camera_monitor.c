/* GstDeviceMonitor adapter: cameras plugged in and out, as craie devices. */
#include <gst/gst.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "display/camera/camera.h"

/* Cameras that give what the pipelines take: raw video or MJPEG. */
#define CR_MONITOR_CLASSES "Video/Source"
#define CR_MONITOR_CAPS "video/x-raw; image/jpeg"

struct cr_camera_monitor {
    struct cr_camera *cam; /* borrowed: owns this monitor */
    GstDeviceMonitor *monitor;
    GSource *bus_watch; /* attached to cam->ctx */
};

static const char *prop(const GstStructure *props, const char *name)
{
    const char *v = props ? gst_structure_get_string(props, name) : NULL;
    return v && *v ? v : NULL;
}

/* Stable across unplug/replug: serial and USB port (two identical cameras
 * without a serial differ by port), else the node, else the name. */
static char *device_id(const GstStructure *props, const char *path, const char *name)
{
    const char *serial = prop(props, "device.serial");
    const char *bus = prop(props, "device.bus_path");
    if (!bus)
        bus = prop(props, "sysfs.path");
    if (serial && bus)
        return g_strdup_printf("%s@%s", serial, bus);
    if (serial || bus)
        return g_strdup(serial ? serial : bus);
    return g_strdup(path ? path : name);
}

/* What the controller needs to know of a GstDevice (g_free'd strings). */
struct cr_monitor_device {
    char *id, *name, *path;
    struct cr_camera_mode *modes;
    size_t n_modes;
};

/* Returns false for a device that v4l2src cannot open (no node path). */
static bool read_device(GstDevice *gdev, struct cr_monitor_device *out)
{
    g_autoptr(GstStructure) props = gst_device_get_properties(gdev);
    const char *path = prop(props, "api.v4l2.path");
    if (!path)
        path = prop(props, "device.path");

    memset(out, 0, sizeof(*out));
    out->name = gst_device_get_display_name(gdev);
    if (!path) {
        cr_debug("camera", "ignoring %s: no device node", out->name);
        g_free(out->name);
        return false;
    }
    out->path = g_strdup(path);
    out->id = device_id(props, path, out->name);
    g_autoptr(GstCaps) caps = gst_device_get_caps(gdev);
    g_autofree char *caps_text = caps ? gst_caps_to_string(caps) : NULL;
    out->n_modes = caps_text ? cr_camera_modes_from_caps_string(caps_text, &out->modes) : 0;
    return true;
}

static void monitor_device_clear(struct cr_monitor_device *d)
{
    g_free(d->id);
    g_free(d->name);
    g_free(d->path);
    g_free(d->modes);
}

static void report_added(struct cr_camera_monitor *mon, GstDevice *gdev)
{
    struct cr_monitor_device d;
    if (!read_device(gdev, &d))
        return;
    const struct cr_camera_device dev = {
        .id = d.id,
        .name = d.name,
        .path = d.path,
        .is_test = false,
        .modes = d.modes,
        .n_modes = d.n_modes,
    };
    cr_debug("camera", "device %s (%s): id %s, %zu modes", d.name, d.path, d.id, d.n_modes);
    cr_camera_device_added(mon->cam, &dev);
    monitor_device_clear(&d);
}

static void report_removed(struct cr_camera_monitor *mon, GstDevice *gdev)
{
    struct cr_monitor_device d;
    if (!read_device(gdev, &d))
        return;
    cr_camera_device_removed(mon->cam, d.id);
    monitor_device_clear(&d);
}

static gboolean on_bus_message(GstBus *bus, GstMessage *msg, gpointer data)
{
    struct cr_camera_monitor *mon = data;
    GstDevice *gdev = NULL;

    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_DEVICE_ADDED:
        gst_message_parse_device_added(msg, &gdev);
        report_added(mon, gdev);
        break;
    case GST_MESSAGE_DEVICE_REMOVED:
        gst_message_parse_device_removed(msg, &gdev);
        report_removed(mon, gdev);
        break;
    case GST_MESSAGE_DEVICE_CHANGED:
        gst_message_parse_device_changed(msg, &gdev, NULL);
        report_added(mon, gdev);
        break;
    default:
        break;
    }
    if (gdev)
        gst_object_unref(gdev);
    return G_SOURCE_CONTINUE;
}

struct cr_camera_monitor *cr_camera_monitor_new(struct cr_camera *cam)
{
    struct cr_camera_monitor *mon = g_new0(struct cr_camera_monitor, 1);
    mon->cam = cam;
    mon->monitor = gst_device_monitor_new();

    g_autoptr(GstCaps) caps = gst_caps_from_string(CR_MONITOR_CAPS);
    gst_device_monitor_add_filter(mon->monitor, CR_MONITOR_CLASSES, caps);
    g_autoptr(GstBus) bus = gst_device_monitor_get_bus(mon->monitor);
    mon->bus_watch = gst_bus_create_watch(bus);
    g_source_set_callback(mon->bus_watch, G_SOURCE_FUNC(on_bus_message), mon, NULL);
    g_source_attach(mon->bus_watch, cam->ctx);

    if (!gst_device_monitor_start(mon->monitor)) {
        cr_warn("camera", "cannot watch cameras: no device provider started");
        cr_camera_monitor_free(mon);
        return NULL;
    }

    /* The devices already there (the bus may tell again: added is idempotent). */
    GList *devices = gst_device_monitor_get_devices(mon->monitor);
    size_t n = 0;
    for (GList *l = devices; l; l = l->next, n++)
        report_added(mon, l->data);
    g_list_free_full(devices, gst_object_unref);

    g_auto(GStrv) providers = gst_device_monitor_get_providers(mon->monitor);
    g_autofree char *names = providers ? g_strjoinv(" ", providers) : g_strdup("none");
    cr_info("camera", "watching cameras (%s): %zu present", names, n);
    return mon;
}

void cr_camera_monitor_free(struct cr_camera_monitor *mon)
{
    if (!mon)
        return;
    gst_device_monitor_stop(mon->monitor);
    g_source_destroy(mon->bus_watch);
    g_source_unref(mon->bus_watch);
    gst_object_unref(mon->monitor);
    g_free(mon);
}
