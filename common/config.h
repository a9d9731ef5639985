/* Configuration: one INI file (/etc/craie/craie.conf or --config PATH), then
 * drop-ins (the *.conf files of craie.conf.d beside it, in name order), then
 * the command line. One table of options (config_options.c) drives parsing,
 * --help and the man pages; every key has an embedded default, so craie runs
 * with no file at all. A bad file or value never stops craie: it is reported
 * with file:line and the default (or previous value) is kept. */
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
        char *language;    /* ui.language: "auto" (French unless locale is English), "fr", "en" */
        int long_press_ms; /* ui.long_press_ms: hold anywhere this long to go home; 0 disables */
        bool demo;         /* ui.demo: offer the test source whenever no camera exists */
    } ui;
    struct {
        char *device;      /* camera.device: "auto", "test", a /dev/videoN path or part of a name */
        char *mode;        /* camera.mode: "auto" or "WIDTHxHEIGHT@FPS[/mjpeg|/raw]" */
        bool allow_4k;     /* camera.allow_4k: use 3840x2160 when offered at >= 25 fps */
        bool rotate180;    /* camera.rotate180: start rotated (camera facing the teacher) */
        bool mirror;       /* camera.mirror: start mirrored */
        char *save_dir;    /* camera.save_dir: folder for saved PNGs; "" = Pictures/craie */
        int snapshots_max; /* camera.snapshots_max: snapshots kept in memory */
    } camera;
    struct {
        bool libinput;          /* input.libinput: read devices with libinput */
        char *seat;             /* input.seat */
        char *roles;            /* input.roles: "PATTERN=pen|pen2|touch|ignore, ..." */
        char *quirks_dir;       /* input.quirks_dir: extra *.quirks files */
        int calibration_points; /* input.calibration_points: 4, 9 or 16 */
        bool offer_calibration; /* input.offer_calibration: offer for new devices */
        int drift_px;           /* input.drift_px: steady tap offset that offers recalibration */
    } input;
    struct {
        bool enabled; /* ipc.enabled */
        char *socket; /* ipc.socket: path; "" = cr_ipc_default_socket_path() */
    } ipc;
    struct {
        bool enabled;     /* cast.enabled: pupils may show their screens (Tablettes) */
        int port;         /* cast.port: HTTPS port of the sender page; 0 = any free port */
        char *interfaces; /* cast.interfaces: interface names or IPs to serve on; "" = all */
        int code_digits;  /* cast.code_digits: length of the join code */
        int code_minutes; /* cast.code_minutes: new code every N minutes; 0 = on demand */
        int max_senders;  /* cast.max_senders: connected at once (waiting + shown) */
        int grace_s;      /* cast.grace_s: a dropped sender keeps its tile this long */
        char *srt_ports;  /* cast.srt_ports: SRT listener ports ("9000,9001"); "" = none */
        char *tls_cert;   /* cast.tls_cert: PEM certificate; "" = made in paths.state_dir */
        char *tls_key;    /* cast.tls_key: its PEM key */
    } cast;
    struct {
        bool verbose; /* log.verbose, --verbose */
    } log;
    struct {
        char *state_dir; /* paths.state_dir: state kept across reboots (/var/lib/craie) */
    } paths;
    struct {
        char *color;        /* ink.color: the pen's colour, "#rrggbb" or a name */
        char *second_color; /* ink.second_color: the second pen's */
        int width;          /* ink.width: pen width in pixels at 1920x1080 */
        bool finger_draws;  /* ink.finger_draws: a finger writes like a pen */
    } ink;
    struct {
        char *background; /* whiteboard.background: white, black, seyes, grid */
    } whiteboard;
    struct {
        char *kind;               /* ent.kind: "none", "entcore", "oidc", "cas" */
        char *url;                /* ent.url: the ENT, the OpenID issuer or the CAS base */
        char *client_id;          /* ent.client_id (CAS: the service URL) */
        char *client_secret_file; /* ent.client_secret_file: a 0600 file with the secret */
        char *ca_file;            /* ent.ca_file: CA bundle of a private PKI */
        char *resources;          /* ent.resources: the technician's list (file or URL) */
        char *scope;              /* ent.scope: "" = the default for the kind */
        int idle_minutes;         /* ent.idle_minutes: sign out when untouched; 0: never */
        char *end_of_day;         /* ent.end_of_day: "HH:MM" sign-out, "" = none */
        char *callback_url;       /* ent.callback_url: the board's https callback (phone) */
        int callback_port;        /* ent.callback_port: where it listens; 0 = URL's port */
        char *callback_cert;      /* ent.callback_cert: its PEM certificate */
        char *callback_key;       /* ent.callback_key: its PEM key */
        char *room;               /* ent.room: classroom name shown on the phone */
    } ent;
    struct {
        bool enabled;     /* metrics.enabled: serve /metrics (Prometheus text) */
        char *address;    /* metrics.address: IP to listen on (127.0.0.1: this PC only) */
        int port;         /* metrics.port: 0 = any free port (logged, in craiectl status) */
        char *token_file; /* metrics.token_file: 0600 file with the bearer token; "" = none */
    } metrics;
    struct {
        char *url;        /* profile.url: https URL of the room's signed profile; "" = none */
        char *public_key; /* profile.public_key: Ed25519 key (base64) or a PEM file path */
        char *ca_file;    /* profile.ca_file: CA bundle for the profile's server; "" = system */
    } profile;

    /* A verified profile (common/profile.h) applied between the main file
     * and the drop-ins by cr_config_load_file, or NULL; owned. A profile
     * cannot change the profile.* options (kept as they were). */
    char *profile_data;
    size_t profile_len;
    char *profile_origin; /* for messages: "profile https://…" */

    /* Where the values came from, for messages: the file actually read (or NULL). */
    char *loaded_file;
    /* Diagnostics gathered while loading: "file:line: message" strings, in
     * order, NULL-terminated (NULL when there are none). Owned; each is
     * also logged once as a warning. */
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
    size_t offset;              /* of the field in struct cr_config */
    const char *default_value;  /* as text, parsed like a file value */
    int min, max;               /* CR_OPT_INT */
    const char *const *choices; /* CR_OPT_CHOICE, NULL-terminated */
    const char *cli;            /* short command-line name ("windowed"), or NULL */
    const char *cli_value;      /* value a flag implies ("false"); NULL if it takes =VALUE */
    const char *help;           /* one line, English, for --help (translated at print) */
    const char *doc;            /* longer text for craie.conf(5), English */
};

extern const struct cr_option cr_options[];
extern const size_t cr_options_count;

/* Extra command-line flags that set a table option to a fixed value
 * ("--fullscreen" = "--display.fullscreen=true"). Each option has at most
 * one shorthand in its row (cli); these are the others. */
struct cr_option_alias {
    const char *cli;    /* "fullscreen" */
    const char *option; /* "display.fullscreen" */
    const char *value;  /* "true" */
};

extern const struct cr_option_alias cr_option_aliases[];
extern const size_t cr_option_aliases_count;

/* The default system configuration file. */
#define CR_CONFIG_DEFAULT_PATH "/etc/craie/craie.conf"

/* Fills every field with its embedded default. */
void cr_config_init(struct cr_config *cfg);
void cr_config_destroy(struct cr_config *cfg);

/* Sets one option from text ("section.key", "value"); origin is "file:line"
 * or "command line" for messages. Returns false (and records a diagnostic)
 * if the key is unknown or the value invalid; the old value is kept. */
bool cr_config_set(struct cr_config *cfg, const char *name, const char *value, const char *origin);

/* Reads an INI file. A missing file is not an error when !required. Every
 * problem becomes a diagnostic; returns false only if a required file
 * cannot be read. Then reads the *.conf drop-ins of PATH.d in name order. */
bool cr_config_load_file(struct cr_config *cfg, const char *path, bool required);

/* Keeps a copy of a verified profile for the next cr_config_load_file. */
void cr_config_use_profile(struct cr_config *cfg, const char *data, size_t len, const char *origin);

/* Same, from memory (tests, profiles). name is used in messages. */
void cr_config_load_data(struct cr_config *cfg, const char *data, size_t len, const char *name);

/* The option called name ("section.key"), or NULL. */
const struct cr_option *cr_config_find_option(const char *name);

/* Sets opt from text, recording nothing. On failure the old value is kept,
 * false is returned and *error (may be NULL; g_free) says which option and
 * what it accepts: "invalid value 'x' for display.width: expected ...". */
bool cr_config_set_option(struct cr_config *cfg, const struct cr_option *opt, const char *value,
                          char **error);

/* Parses a boolean as files and the command line write it (true/false,
 * yes/no, on/off, 1/0, any case). */
bool cr_config_parse_bool(const char *text, bool *out);

/* Appends "origin: message" (just the message when origin is NULL) to
 * cfg->diagnostics and logs it once as a warning. */
void cr_config_add_diagnostic(struct cr_config *cfg, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Edit distance between two names, for "did you mean ...?" hints. */
unsigned cr_config_name_distance(const char *a, const char *b);

enum cr_cli_result {
    CR_CLI_RUN,        /* go on */
    CR_CLI_EXIT_OK,    /* --help or --version was printed */
    CR_CLI_EXIT_ERROR, /* a bad argument; a message was printed on stderr */
};

/* Exit status of craie after CR_CLI_EXIT_ERROR (documented in craie(1)). */
#define CR_EXIT_USAGE 2

/* Parses argv for the craie executable; cfg comes from cr_config_init.
 * --help/-h and --version print and return CR_CLI_EXIT_OK before any file
 * is read. Otherwise every option is checked first (unknown options and
 * invalid values are errors: the user typed them), then the --config file
 * is loaded (or the default, not required), then the other options are
 * applied in order: "--section.key=value" or "--section.key value" (a
 * boolean alone means true), table shorthands ("--windowed",
 * "--camera=test", "--ipc-socket=PATH", "--verbose") and aliases
 * ("--fullscreen"). File problems are only diagnostics; an explicit
 * --config that cannot be read is reported on stderr and craie goes on. */
enum cr_cli_result cr_config_parse_args(struct cr_config *cfg, int argc, char **argv);

/* The --help text (translated). Caller frees with g_free. */
char *cr_config_help_text(const char *program);

/* The OPTIONS section of craie(1) and the body of craie.conf(5), in roff,
 * generated from the table (tools/gen_man.c writes the man pages with them). */
char *cr_config_man_cli(void);
char *cr_config_man_conf(void);

/* A complete example craie.conf: every key commented out with its default
 * and its documentation. Uncommented, it loads without a diagnostic.
 * Caller frees with g_free. */
char *cr_config_example_conf(void);

/* Resolved paths: the socket path with its default applied, the save folder.
 * Caller frees with g_free. */
char *cr_config_ipc_socket_path(const struct cr_config *cfg);
char *cr_config_save_dir(const struct cr_config *cfg);

#endif
