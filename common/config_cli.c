/* The command line of craie and the text generated from the option table:
 * --help, the OPTIONS of craie(1), the body of craie.conf(5) and the
 * example craie.conf. */
#include "common/config.h"

#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "build_config.h"
#include "common/i18n.h"
#include "common/util.h"

#define COMMENT_WIDTH 78

/* Titles of the table's sections, in --help and the man pages. */
static const struct {
    const char *section;
    const char *title;
} section_titles[] = {
    {"display", N_("Display")},
    {"ui", N_("Interface")},
    {"camera", N_("Document camera")},
    {"input", N_("Pen and touch")},
    {"ipc", N_("Control socket")},
    {"log", N_("Logging")},
    {"paths", N_("Paths")},
    {"ink", N_("Ink")},
    {"whiteboard", N_("Whiteboard")},
    {"ent", N_("ENT (digital workspace)")},
};

static const char *section_title(const char *section)
{
    for (size_t i = 0; i < G_N_ELEMENTS(section_titles); i++) {
        if (!strcmp(section_titles[i].section, section))
            return section_titles[i].title;
    }
    return section;
}

/* True for the first option of a section, in table order. */
static bool starts_section(size_t i)
{
    for (size_t j = 0; j < i; j++) {
        if (!strcmp(cr_options[j].section, cr_options[i].section))
            return false;
    }
    return true;
}

static const char *metavar(const struct cr_option *opt)
{
    switch (opt->type) {
    case CR_OPT_BOOL:
        return "BOOL";
    case CR_OPT_INT:
        return "N";
    case CR_OPT_STRING:
        return "TEXT";
    case CR_OPT_PATH:
        return "PATH";
    case CR_OPT_CHOICE:
        return "CHOICE";
    }
    return "VALUE";
}

/* "auto|fr|en" for a choice, "true|false" for a boolean, else metavar. */
static char *value_syntax(const struct cr_option *opt)
{
    if (opt->type == CR_OPT_BOOL)
        return g_strdup("true|false");
    if (opt->type == CR_OPT_CHOICE)
        return g_strjoinv("|", (char **)opt->choices);
    return g_strdup(metavar(opt));
}

/* --- command line --- */

struct cli_setting {
    const struct cr_option *opt;
    const char *value; /* borrowed from argv or the table */
};

static const struct cr_option *find_shorthand(const char *name)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        if (cr_options[i].cli && !strcmp(cr_options[i].cli, name))
            return &cr_options[i];
    }
    return NULL;
}

static const struct cr_option_alias *find_alias(const char *name)
{
    for (size_t i = 0; i < cr_option_aliases_count; i++) {
        if (!strcmp(cr_option_aliases[i].cli, name))
            return &cr_option_aliases[i];
    }
    return NULL;
}

/* Every name that can follow "--", for hints. */
static GPtrArray *all_long_options(void)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(names, g_strdup("help"));
    g_ptr_array_add(names, g_strdup("version"));
    g_ptr_array_add(names, g_strdup("config"));
    for (size_t i = 0; i < cr_options_count; i++) {
        g_ptr_array_add(names, g_strconcat(cr_options[i].section, ".", cr_options[i].key, NULL));
        if (cr_options[i].cli)
            g_ptr_array_add(names, g_strdup(cr_options[i].cli));
    }
    for (size_t i = 0; i < cr_option_aliases_count; i++)
        g_ptr_array_add(names, g_strdup(cr_option_aliases[i].cli));
    return names;
}

static void print_unknown(const char *arg, const char *name)
{
    g_autoptr(GPtrArray) names = all_long_options();
    const char *best = NULL;
    unsigned best_distance = UINT_MAX;
    for (unsigned i = 0; i < names->len; i++) {
        unsigned d = cr_config_name_distance(name, names->pdata[i]);
        if (d < best_distance) {
            best_distance = d;
            best = names->pdata[i];
        }
    }
    if (best && best_distance <= MAX(2u, (unsigned)strlen(name) / 4))
        fprintf(stderr, "craie: unknown option '%s' (did you mean '--%s'?)\n", arg, best);
    else
        fprintf(stderr, "craie: unknown option '%s'\n", arg);
    fprintf(stderr, "craie: 'craie --help' lists the options\n");
}

/* The value of "--name=value" or "--name value"; NULL (after a message)
 * when it is missing. */
static const char *take_value(const char *inline_value, int argc, char **argv, int *i)
{
    if (inline_value)
        return inline_value;
    if (*i + 1 < argc)
        return argv[++*i];
    fprintf(stderr, "craie: option '%s' needs a value\n", argv[*i]);
    return NULL;
}

/* Reads argv into settings, --config and the help/version requests,
 * without applying anything. false after a message on stderr. */
static bool scan_args(int argc, char **argv, GArray *settings, const char **config_path, bool *help,
                      bool *version)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            *help = true;
            continue;
        }
        if (!strcmp(arg, "--version")) {
            *version = true;
            continue;
        }
        if (arg[0] != '-') {
            fprintf(stderr, "craie: unexpected argument '%s' (craie takes only options)\n", arg);
            return false;
        }
        if (arg[1] != '-' || !arg[2]) {
            print_unknown(arg, arg + 1);
            return false;
        }
        const char *eq = strchr(arg + 2, '=');
        g_autofree char *name = eq ? g_strndup(arg + 2, eq - (arg + 2)) : g_strdup(arg + 2);
        const char *inline_value = eq ? eq + 1 : NULL;

        if (!strcmp(name, "config")) {
            *config_path = take_value(inline_value, argc, argv, &i);
            if (!*config_path)
                return false;
            continue;
        }
        if (!strcmp(name, "help") || !strcmp(name, "version")) {
            fprintf(stderr, "craie: option '--%s' takes no value\n", name);
            return false;
        }
        struct cli_setting s = {.opt = cr_config_find_option(name)};
        const struct cr_option_alias *alias;
        const char *fixed = NULL; /* the value a flag implies */
        if (s.opt && s.opt->type == CR_OPT_BOOL && !inline_value) {
            /* "--log.verbose" alone means true; "--log.verbose no" is allowed. */
            bool unused;
            bool next_is_bool = i + 1 < argc && cr_config_parse_bool(argv[i + 1], &unused);
            s.value = next_is_bool ? argv[++i] : "true";
        } else if (s.opt) {
            s.value = take_value(inline_value, argc, argv, &i);
        } else if ((s.opt = find_shorthand(name))) {
            fixed = s.opt->cli_value;
            s.value = fixed ? fixed : take_value(inline_value, argc, argv, &i);
        } else if ((alias = find_alias(name))) {
            s.opt = cr_config_find_option(alias->option);
            fixed = alias->value;
            s.value = fixed;
        } else {
            print_unknown(arg, name);
            return false;
        }
        if (fixed && inline_value) {
            fprintf(stderr, "craie: option '--%s' takes no value\n", name);
            return false;
        }
        if (!s.value)
            return false;
        g_array_append_val(settings, s);
    }
    return true;
}

static bool apply_settings(struct cr_config *cfg, GArray *settings, bool print_errors)
{
    for (unsigned i = 0; i < settings->len; i++) {
        const struct cli_setting *s = &g_array_index(settings, struct cli_setting, i);
        g_autofree char *error = NULL;
        if (!cr_config_set_option(cfg, s->opt, s->value, &error)) {
            if (print_errors)
                fprintf(stderr, "craie: %s\n", error);
            return false;
        }
    }
    return true;
}

enum cr_cli_result cr_config_parse_args(struct cr_config *cfg, int argc, char **argv)
{
    g_autoptr(GArray) settings = g_array_new(FALSE, FALSE, sizeof(struct cli_setting));
    const char *config_path = NULL;
    bool help = false, version = false;
    if (!scan_args(argc, argv, settings, &config_path, &help, &version))
        return CR_CLI_EXIT_ERROR;
    if (help) {
        g_autofree char *program = g_path_get_basename(argc > 0 ? argv[0] : "craie");
        g_autofree char *text = cr_config_help_text(program);
        fputs(text, stdout);
        fflush(stdout);
        return CR_CLI_EXIT_OK;
    }
    if (version) {
        printf("craie %s\n", CR_VERSION);
        fflush(stdout);
        return CR_CLI_EXIT_OK;
    }

    /* Check the typed values first, so that a typo is reported alone,
     * before any file is read. */
    struct cr_config scratch;
    cr_config_init(&scratch);
    bool valid = apply_settings(&scratch, settings, true);
    cr_config_destroy(&scratch);
    if (!valid)
        return CR_CLI_EXIT_ERROR;

    if (config_path) {
        if (!cr_config_load_file(cfg, config_path, true))
            fprintf(stderr, "craie: cannot read the configuration file %s; going on without it\n",
                    config_path);
    } else if (g_getenv("CRAIE_BUILD_ROOT") && cr_running_uninstalled()) {
        /* The build tree's craie under meson test: the machine's own
         * /etc/craie (an installed package) must not change the tests. */
    } else {
        cr_config_load_file(cfg, CR_CONFIG_DEFAULT_PATH, false);
    }
    apply_settings(cfg, settings, false);
    return CR_CLI_RUN;
}

/* --- --help --- */

static void help_entry(GString *out, const char *usage, const char *text)
{
    g_string_append_printf(out, "  %s\n      %s\n", usage, text);
}

static void help_option(GString *out, const struct cr_option *opt)
{
    g_autofree char *syntax = value_syntax(opt);
    g_string_append_printf(out, "  --%s.%s=%s", opt->section, opt->key, syntax);
    if (opt->cli && !opt->cli_value)
        g_string_append_printf(out, ", --%s=%s", opt->cli, metavar(opt));
    g_string_append(out, "\n      ");
    g_string_append(out, _(opt->help));
    g_autofree char *dflt = *opt->default_value ? g_strdup(opt->default_value) : g_strdup("\"\"");
    if (opt->type == CR_OPT_INT)
        /* TRANSLATORS: range and default of a number in --help */
        g_string_append_printf(out, _(" (%d to %d, default: %s)"), opt->min, opt->max, dflt);
    else
        /* TRANSLATORS: default of an option in --help */
        g_string_append_printf(out, _(" (default: %s)"), dflt);
    g_string_append_c(out, '\n');
    const char *full_fmt = _("      --%s: same as --%s.%s=%s\n");
    if (opt->cli && opt->cli_value)
        g_string_append_printf(out, full_fmt, opt->cli, opt->section, opt->key, opt->cli_value);
    for (size_t i = 0; i < cr_option_aliases_count; i++) {
        const struct cr_option_alias *a = &cr_option_aliases[i];
        if (cr_config_find_option(a->option) == opt)
            g_string_append_printf(out, full_fmt, a->cli, opt->section, opt->key, a->value);
    }
}

char *cr_config_help_text(const char *program)
{
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, _("Usage: %s [OPTION...]\n"), program ? program : "craie");
    g_string_append(out, _("Full-screen touch launcher for the classroom projector PC.\n\n"));
    g_string_append_printf(out,
                           _("Settings come from %s, then its drop-ins\n"
                             "(%s.d/*.conf), then the command line.\n"
                             "Every key of the file is also an option: --section.key=VALUE.\n"
                             "See craie(1) and craie.conf(5).\n"),
                           CR_CONFIG_DEFAULT_PATH, CR_CONFIG_DEFAULT_PATH);
    /* TRANSLATORS: a section title of --help; French puts a space before the colon */
    g_string_append_printf(out, _("\n%s:\n"), _("General"));
    help_entry(out, "-h, --help", _("Show this help and exit"));
    help_entry(out, "--version", _("Show the version and exit"));
    g_autofree char *config_help =
        g_strdup_printf(_("Read PATH instead of %s"), CR_CONFIG_DEFAULT_PATH);
    help_entry(out, "--config=PATH", config_help);
    for (size_t i = 0; i < cr_options_count; i++) {
        if (starts_section(i))
            g_string_append_printf(out, _("\n%s:\n"), _(section_title(cr_options[i].section)));
        help_option(out, &cr_options[i]);
    }
    return g_string_free(out, FALSE);
}

/* --- man pages --- */

/* Text as a roff input line: backslashes and hyphens escaped, a leading
 * control character neutralised. */
static void roff_append(GString *out, const char *text)
{
    if (text[0] == '.' || text[0] == '\'')
        g_string_append(out, "\\&");
    for (const char *p = text; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\e");
        else if (*p == '-')
            g_string_append(out, "\\-");
        else
            g_string_append_c(out, *p);
    }
}

static void roff_default(GString *out, const struct cr_option *opt)
{
    g_string_append(out, ".br\nDefault: ");
    if (*opt->default_value) {
        g_string_append(out, "\\fB");
        roff_append(out, opt->default_value);
        g_string_append(out, "\\fR");
    } else {
        g_string_append(out, "empty");
    }
    if (opt->type == CR_OPT_INT)
        g_string_append_printf(out, "; from %d to %d", opt->min, opt->max);
    g_string_append(out, ".\n");
}

/* "\fItrue\fR|\fIfalse\fR", "\fIN\fR" ... */
static void roff_value_syntax(GString *out, const struct cr_option *opt)
{
    g_autofree char *syntax = value_syntax(opt);
    g_auto(GStrv) parts = g_strsplit(syntax, "|", -1);
    for (char **p = parts; *p; p++) {
        if (p != parts)
            g_string_append_c(out, '|');
        g_string_append(out, "\\fI");
        roff_append(out, *p);
        g_string_append(out, "\\fR");
    }
}

static void roff_shorthands(GString *out, const struct cr_option *opt)
{
    if (opt->cli && opt->cli_value) {
        g_string_append_printf(out, ".br\n\\fB\\-\\-");
        roff_append(out, opt->cli);
        g_string_append(out, "\\fR is the same as \\fB\\-\\-");
        roff_append(out, opt->section);
        g_string_append_printf(out, ".%s=%s\\fR.\n", opt->key, opt->cli_value);
    }
    for (size_t i = 0; i < cr_option_aliases_count; i++) {
        const struct cr_option_alias *a = &cr_option_aliases[i];
        if (cr_config_find_option(a->option) != opt)
            continue;
        g_string_append(out, ".br\n\\fB\\-\\-");
        roff_append(out, a->cli);
        g_string_append(out, "\\fR is the same as \\fB\\-\\-");
        roff_append(out, opt->section);
        g_string_append_printf(out, ".%s=%s\\fR.\n", opt->key, a->value);
    }
}

char *cr_config_man_cli(void)
{
    GString *out = g_string_new(NULL);
    g_string_append(out, ".SS General\n"
                         ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\n"
                         "Print a summary of the options, their defaults and shorthands, "
                         "then exit.\n"
                         ".TP\n\\fB\\-\\-version\\fR\n"
                         "Print the version, then exit.\n"
                         ".TP\n\\fB\\-\\-config\\fR=\\fIPATH\\fR\n");
    g_string_append_printf(out,
                           "Read \\fIPATH\\fR and its drop\\-ins \\fIPATH\\fB.d/*.conf\\fR "
                           "instead of \\fI%s\\fR. A file that cannot be read is reported on "
                           "standard error and craie goes on without it.\n",
                           CR_CONFIG_DEFAULT_PATH);
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        if (starts_section(i)) {
            g_string_append(out, ".SS ");
            roff_append(out, section_title(opt->section));
            g_string_append_c(out, '\n');
        }
        g_string_append(out, ".TP\n\\fB\\-\\-");
        roff_append(out, opt->section);
        g_string_append_c(out, '.');
        roff_append(out, opt->key);
        g_string_append(out, "\\fR=");
        roff_value_syntax(out, opt);
        if (opt->cli && !opt->cli_value) {
            g_string_append(out, ", \\fB\\-\\-");
            roff_append(out, opt->cli);
            g_string_append_printf(out, "\\fR=\\fI%s\\fR", metavar(opt));
        }
        g_string_append_c(out, '\n');
        roff_append(out, opt->doc);
        g_string_append_c(out, '\n');
        roff_default(out, opt);
        roff_shorthands(out, opt);
    }
    return g_string_free(out, FALSE);
}

char *cr_config_man_conf(void)
{
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        if (starts_section(i)) {
            g_string_append_printf(out, ".SS \"[%s]\"\n", opt->section);
        }
        g_string_append(out, ".TP\n\\fB");
        roff_append(out, opt->key);
        g_string_append(out, "\\fR = ");
        roff_value_syntax(out, opt);
        g_string_append_c(out, '\n');
        roff_append(out, opt->doc);
        g_string_append_c(out, '\n');
        roff_default(out, opt);
        g_string_append(out, ".br\nCommand line: \\fB\\-\\-");
        roff_append(out, opt->section);
        g_string_append_c(out, '.');
        roff_append(out, opt->key);
        g_string_append(out, "\\fR");
        if (opt->cli) {
            g_string_append(out, ", \\fB\\-\\-");
            roff_append(out, opt->cli);
            g_string_append(out, "\\fR");
        }
        for (size_t j = 0; j < cr_option_aliases_count; j++) {
            if (cr_config_find_option(cr_option_aliases[j].option) != opt)
                continue;
            g_string_append(out, ", \\fB\\-\\-");
            roff_append(out, cr_option_aliases[j].cli);
            g_string_append(out, "\\fR");
        }
        g_string_append(out, ".\n");
    }
    return g_string_free(out, FALSE);
}

/* --- example craie.conf --- */

/* text as "# " comment lines of at most COMMENT_WIDTH columns. */
static void append_comment(GString *out, const char *text)
{
    g_auto(GStrv) words = g_strsplit(text, " ", -1);
    size_t col = 0;
    for (char **w = words; *w; w++) {
        if (!**w)
            continue;
        size_t len = strlen(*w);
        if (col && col + 1 + len > COMMENT_WIDTH) {
            g_string_append_c(out, '\n');
            col = 0;
        }
        if (!col) {
            g_string_append(out, "#");
            col = 1;
        }
        g_string_append_printf(out, " %s", *w);
        col += 1 + len;
    }
    if (col)
        g_string_append_c(out, '\n');
}

char *cr_config_example_conf(void)
{
    GString *out = g_string_new(NULL);
    g_autofree char *intro = g_strdup_printf(
        "Example configuration of craie, the full-screen touch launcher of the classroom "
        "projector PC. Copy it to %s, or put a few lines in a drop-in such as %s.d/10-room.conf, "
        "and uncomment what you change. Every key is shown with its default; craie runs "
        "without any file. See craie.conf(5).",
        CR_CONFIG_DEFAULT_PATH, CR_CONFIG_DEFAULT_PATH);
    append_comment(out, intro);
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        if (starts_section(i))
            g_string_append_printf(out, "\n[%s]\n", opt->section);
        g_string_append_c(out, '\n');
        append_comment(out, opt->doc);
        g_autofree char *accepted = NULL;
        if (opt->type == CR_OPT_INT) {
            accepted =
                g_strdup_printf("Accepted: a whole number from %d to %d.", opt->min, opt->max);
        } else if (opt->type == CR_OPT_BOOL) {
            accepted = g_strdup("Accepted: true or false.");
        } else if (opt->type == CR_OPT_CHOICE) {
            GString *list = g_string_new("Accepted: ");
            for (const char *const *c = opt->choices; *c; c++)
                g_string_append_printf(list, "%s%s", *c, !c[1] ? "." : !c[2] ? " or " : ", ");
            accepted = g_string_free(list, FALSE);
        }
        if (accepted)
            append_comment(out, accepted);
        g_string_append_printf(out, "#%s = %s\n", opt->key, opt->default_value);
    }
    return g_string_free(out, FALSE);
}
