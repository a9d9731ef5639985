#include "tests/unit/unit_test.h"

#include <glib.h>
#include <glib/gstdio.h>

void cr_test_remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    if (dir) {
        const char *name;
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            cr_test_remove_tree(child);
        }
        g_dir_close(dir);
    }
    g_remove(path);
}
