/* Configuration: one INI file (/etc/craie/craie.conf or --config PATH), then
 * drop-ins (craie.conf.d/*.conf beside it, in name order), then the command
 * line. One table of options (config_options.c) drives parsing, --help and
 * the man page; every key has an embedded default, so craie runs with no
 * file at all. A bad file or value never stops craie: it is reported with
 * file:line and the default (or previous value) is kept. */
#ifndef CR_CONFIG_H
#define CR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum cr_camera_orientation_default { CR_ORIENT_NORMAL = 0, CR_ORIENT_ROTATE180 = 1 };

struct cr_config {
    struct {
        bool fullscreen; /* display.fullscreen, --windowed sets false */
        int width;       /* display.width: window size when not full-screen */
        int height;      /* display.height */
    } display;
    struct {
        char *language;     /* ui.language: "auto" (French unless the locale is English), "fr", "en" */
        int long_press_ms;  /* ui.long_press_ms: hold anywhere this long to go home; 0 disables */
        bool demo;          /* ui.demo: offer the test source whenever no camera exists */
    } ui;
    struct {
        char *device;       /* camera.device: "auto", "test", a /dev/videoN path or part of a name */
        char *mode;         /* camera.mode: "auto" or "WIDTHxHEIGHT@FPS[/mjpeg|/raw]" */
        bool allow_4k;      /* camera.allow_4k: use 3840x2160 when offered at >= 25 fps */
        bool rotate180;     /* camera.rotate180: start rotated (camera facing the teacher) */
        bool mirror;        /* camera.mirror: start mirrored */
        char *save_dir;     /* camera.save_dir: folder for saved PNGs; "" = Pictures/craie */
        int snapshots_max;  /* camera.snapshots_max: snapshots kept in memory */
    } camera;
    struct {
        bool enabled;  /* ipc.enabled */
        char *socket;  /* ipc.socket: path; "" = $XDG_RUNTIME_DIR/craie/ipc.sock or /run/craie/ipc.sock */
    } ipc;
    struct {
        bool verbose; /* log.verbose, --verbose */
    } log;
    struct {
        char *state_dir; /* paths.state_dir: state kept across reboots (/var/lib/craie) */
    } paths;

    /* Where the values came from, for messages: the file actually read (or NULL). */
    char *loaded_file;
    /* Diagnostics gathered while loading: "file:line: message" strings, in
     * order. Owned; each is also logged once as a warning. */
    char **diagnostics;
    size_t n_diagnostics;
};

enum cr_option_type {
    CR_OPT_BOOL,   /* true/false, yes/no, on/off, 1/0 */
    CR_OPT_INT,    /* decimal, within [min, max] */
    CR_OPT_STRING, /* any UTF-8 text */
    CR_OPT_PATH,   /* a file or folder path; "~/" expanded */
    CR_OPT_CHOICE, /* a string that must be one of choices[] */
};

struct cr_option {
    const char *section;
    const char *key;
    enum cr_option_type type;
    size_t offset;               /* of the field in struct cr_config */
    const char *default_value;   /* as text, parsed like a file value */
    int min, max;                /* CR_OPT_INT */
    const char *const *choices;  /* CR_OPT_CHOICE, NULL-terminated */
    const char *cli;             /* short command-line name ("windowed"), or NULL */
    const char *cli_value;       /* value a flag implies ("false"); NULL if it takes =VALUE */
    const char *help;            /* one line, English, for --help (translated at print) */
    const char *doc;             /* longer text for craie.conf(5), English */
};

extern const struct cr_option cr_options[];
extern const size_t cr_options_count;

/* The default system configuration file. */
#define CR_CONFIG_DEFAULT_PATH "/etc/craie/craie.conf"

/* Fills every field with its embedded default. */
void cr_config_init(struct cr_config *cfg);
void cr_config_destroy(struct cr_config *cfg);

/* Sets one option from text ("section.key", "value"); origin is "file:line"
 * or "command line" for messages. Returns false (and records a diagnostic)
 * if the key is unknown or the value invalid; the old value is kept. */
bool cr_config_set(struct cr_config *cfg, const char *name, const char *value,
                   const char *origin);

/* Reads an INI file. A missing file is not an error when !required. Every
 * problem becomes a diagnostic; returns false only if a required file
 * cannot be read. Then reads PATH.d/*.conf drop-ins in name order. */
bool cr_config_load_file(struct cr_config *cfg, const char *path, bool required);

/* Same, from memory (tests, profiles). name is used in messages. */
void cr_config_load_data(struct cr_config *cfg, const char *data, size_t len, const char *name);

enum cr_cli_result {
    CR_CLI_RUN,        /* go on */
    CR_CLI_EXIT_OK,    /* --help or --version was printed */
    CR_CLI_EXIT_ERROR, /* a bad argument; a message was printed on stderr */
};

/* Parses argv for the craie executable: finds --config first and loads that
 * file (or the default, not required), then applies the other options in
 * order: "--section.key=value", table shorthands ("--windowed",
 * "--camera=test", "--ipc-socket=PATH", "--verbose"), "--help", "--version".
 * Unknown options and invalid command-line values are errors (the user typed
 * them); file problems are only diagnostics. */
enum cr_cli_result cr_config_parse_args(struct cr_config *cfg, int argc, char **argv);

/* The --help text (translated). Caller frees with g_free. */
char *cr_config_help_text(const char *program);

/* The OPTIONS section of craie(1) and the body of craie.conf(5), in roff,
 * generated from the table (tools/gen_man.c writes the man pages with them). */
char *cr_config_man_cli(void);
char *cr_config_man_conf(void);

/* Resolved paths: the socket path with its default applied, the save folder.
 * Caller frees with g_free. */
char *cr_config_ipc_socket_path(const struct cr_config *cfg);
char *cr_config_save_dir(const struct cr_config *cfg);

#endif
