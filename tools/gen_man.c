/* craie-gen-man: writes the man pages and the example craie.conf from the
 * option table, so that they never disagree with the code.
 *
 *   craie-gen-man TEMPLATE OUTPUT     copies TEMPLATE, replacing a line
 *                                     @CLI_OPTIONS@ or @CONF_OPTIONS@ with
 *                                     the generated roff, and @VERSION@
 *                                     and @DATADIR@ anywhere
 *   craie-gen-man --example-conf OUTPUT
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "build_config.h"
#include "common/config.h"

static bool write_output(const char *path, const char *text)
{
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents(path, text, -1, &error)) {
        fprintf(stderr, "craie-gen-man: %s\n", error->message);
        return false;
    }
    return true;
}

static char *expand_template(const char *text)
{
    GString *out = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **line = lines; *line; line++) {
        g_autofree char *trimmed = g_strstrip(g_strdup(*line));
        if (!strcmp(trimmed, "@CLI_OPTIONS@")) {
            g_autofree char *roff = cr_config_man_cli();
            g_string_append(out, roff);
        } else if (!strcmp(trimmed, "@CONF_OPTIONS@")) {
            g_autofree char *roff = cr_config_man_conf();
            g_string_append(out, roff);
        } else {
            g_autoptr(GString) copy = g_string_new(*line);
            g_string_replace(copy, "@VERSION@", CR_VERSION, 0);
            g_string_replace(copy, "@DATADIR@", CR_DATADIR, 0);
            g_string_append_len(out, copy->str, copy->len);
            if (line[1])
                g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--example-conf")) {
        g_autofree char *text = cr_config_example_conf();
        return write_output(argv[2], text) ? 0 : 1;
    }
    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: craie-gen-man TEMPLATE OUTPUT\n"
                        "       craie-gen-man --example-conf OUTPUT\n");
        return 2;
    }
    g_autofree char *template_text = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(argv[1], &template_text, NULL, &error)) {
        fprintf(stderr, "craie-gen-man: %s\n", error->message);
        return 1;
    }
    g_autofree char *text = expand_template(template_text);
    return write_output(argv[2], text) ? 0 : 1;
}
