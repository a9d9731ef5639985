/* craiectl: sends one command to a running craie over its control socket
 * and prints the answer. See doc/craiectl.1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/ipc.h"

#include "build_config.h"

#define CRAIECTL_DEFAULT_TIMEOUT_MS 10000

enum craiectl_exit {
    CRAIECTL_OK = 0,
    CRAIECTL_COMMAND_FAILED = 1, /* craie answered with an error */
    CRAIECTL_FAILURE = 2,        /* usage error, no connection, no answer */
};

struct craiectl_options {
    char *socket_path; /* owned */
    int timeout_ms;
    bool timeout_set;
    char **argv; /* borrowed from main's argv, NULL-terminated */
    int argc;
};

static void print_usage(FILE *out)
{
    fprintf(out, _("Usage: craiectl [--socket=PATH] [--timeout=MS] COMMAND [ARG...]\n"
                   "\n"
                   "Sends COMMAND to the running craie through its control socket and\n"
                   "prints the answer.\n"
                   "\n"
                   "Options:\n"
                   "  --socket=PATH   control socket (default: $XDG_RUNTIME_DIR/craie/ipc.sock,\n"
                   "                  else /run/craie/ipc.sock)\n"
                   "  --timeout=MS    how long to wait for the answer (default: 10000)\n"
                   "  --help          show this help\n"
                   "  --version       show the version\n"
                   "\n"
                   "Commands handled by craiectl itself:\n"
                   "  monitor              print every event until interrupted (or --timeout)\n"
                   "  wait-event NAME      wait for one event named NAME and print it\n"
                   "  screenshot FILE      save the board as FILE (made absolute here)\n"
                   "\n"
                   "Some commands of craie:\n"
                   "  get_state\n"
                   "  open camera|launcher|tablets\n"
                   "  cast code|list|approve ID|deny ID|focus ID|unfocus|stop-all\n"
                   "  camera freeze|unfreeze|rotate|mirror|snapshot|save|compare|test\n"
                   "  camera zoom in|out|reset\n"
                   "  tap X Y    longpress X Y    drag X1 Y1 X2 Y2 [MS]\n"
                   "  ent state|signout\n"
                   "  quit\n"
                   "\n"
                   "Exit status: 0 success, 1 craie answered with an error,\n"
                   "2 usage error, no connection or no answer in time.\n"));
    fputs(_("\nThe board (Affichage: up to 4 tiles side by side, ink over them):\n"
            "  open board|whiteboard|ent|settings\n"
            "  open url URL         a web page in a tile\n"
            "  open media PATH|URL  a video or a sound in a tile\n"
            "  open document PATH   a PDF or a picture in a tile\n"
            "  board add camera|cast ID    board close N    board fullscreen N [on|off]\n"
            "  pen down|move|up X Y [PRESSURE]    touch down|move|up ID X Y\n"
            "  calibrate start [4|9|16]|cancel\n"),
          out);
    fputs(_("\nFor technicians:\n"
            "  status               state of this PC as JSON (sources, devices, errors)\n"
            "  usage [--csv]        anonymous feature use per day\n"),
          out);
    fputs(_("  settings-pin set     set the Réglages PIN, read from standard input\n"
            "  settings-pin clear   remove it\n"),
          out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "craiectl: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    fprintf(stderr, _("Try 'craiectl --help'.\n"));
    return CRAIECTL_FAILURE;
}

static bool parse_timeout(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0 || v > G_MAXINT)
        return false;
    *out = (int)v;
    return true;
}

/* Reads the options before COMMAND. Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct craiectl_options *opts)
{
    opts->timeout_ms = CRAIECTL_DEFAULT_TIMEOUT_MS;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        if (!strcmp(arg, "--")) {
            i++;
            break;
        } else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            print_usage(stdout);
            return CRAIECTL_OK;
        } else if (!strcmp(arg, "--version")) {
            printf("craiectl %s\n", CR_VERSION);
            return CRAIECTL_OK;
        } else if (g_str_has_prefix(arg, "--socket=")) {
            value = arg + strlen("--socket=");
        } else if (!strcmp(arg, "--socket")) {
            if (++i == argc)
                return usage_error(_("option %s needs a value"), arg);
            value = argv[i];
        } else if (g_str_has_prefix(arg, "--timeout=") || !strcmp(arg, "--timeout")) {
            const char *ms = strchr(arg, '=');
            if (ms)
                ms++;
            else if (++i < argc)
                ms = argv[i];
            else
                return usage_error(_("option %s needs a value"), arg);
            if (!parse_timeout(ms, &opts->timeout_ms))
                return usage_error(_("invalid timeout: %s"), ms);
            opts->timeout_set = true;
            continue;
        } else {
            return usage_error(_("unknown option: %s"), arg);
        }
        if (!*value)
            return usage_error(_("option %s needs a value"), "--socket");
        g_free(opts->socket_path);
        opts->socket_path = g_strdup(value);
    }
    if (i == argc)
        return usage_error("%s", _("missing command"));
    opts->argv = argv + i;
    opts->argc = argc - i;
    if (!opts->socket_path)
        opts->socket_path = cr_ipc_client_socket_path();
    return -1;
}

/* Prints a reply's "data": JSON text for objects and arrays, plain text for
 * strings, nothing for null. */
static void print_data(const char *reply)
{
    g_autoptr(JsonNode) root = json_from_string(reply, NULL);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return;
    JsonNode *data = json_object_get_member(json_node_get_object(root), "data");
    if (!data || JSON_NODE_HOLDS_NULL(data))
        return;
    if (JSON_NODE_HOLDS_VALUE(data) && json_node_get_value_type(data) == G_TYPE_STRING) {
        printf("%s\n", json_node_get_string(data));
        return;
    }
    g_autofree char *text = json_to_string(data, TRUE);
    printf("%s\n", text);
}

/* The "error" text of a reply line. */
static char *reply_error(const char *reply)
{
    g_autoptr(JsonNode) root = json_from_string(reply, NULL);
    if (root && JSON_NODE_HOLDS_OBJECT(root)) {
        JsonNode *err = json_object_get_member(json_node_get_object(root), "error");
        if (err && JSON_NODE_HOLDS_VALUE(err) && json_node_get_value_type(err) == G_TYPE_STRING)
            return g_strdup(json_node_get_string(err));
    }
    return g_strdup(_("malformed reply"));
}

/* settings-pin set: the PIN comes from standard input (never the command
 * line, where ps and the shell history would show it). */
static char *read_pin(void)
{
    char buf[64] = "";
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "%s", _("Settings PIN (4 to 12 digits): "));
    if (!fgets(buf, sizeof(buf), stdin))
        return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    char *pin = g_strdup(buf);
    explicit_bzero(buf, sizeof(buf));
    return pin;
}

static int run_command(struct cr_ipc_client *client, const struct craiectl_options *opts)
{
    /* craie runs elsewhere: a relative screenshot path means ours. */
    g_autofree char *absolute = NULL;
    char **argv = g_new0(char *, (size_t)opts->argc + 2); /* room for a PIN read from stdin */
    ;
    for (int i = 0; i < opts->argc; i++)
        argv[i] = opts->argv[i];
    if (!strcmp(argv[0], "screenshot") && opts->argc >= 2) {
        absolute = g_canonicalize_filename(argv[1], NULL);
        argv[1] = absolute;
    }
    g_autofree char *pin = NULL;
    if (!strcmp(argv[0], "settings-pin") && opts->argc == 2 && !strcmp(argv[1], "set")) {
        pin = read_pin();
        if (!pin) {
            g_free(argv);
            fprintf(stderr, "craiectl: %s\n", _("no PIN on standard input"));
            return CRAIECTL_FAILURE;
        }
        argv[2] = pin;
    }

    g_autofree char *reply = NULL;
    g_autoptr(GError) err = NULL;
    bool ok;
    bool answered = cr_ipc_client_command(client, (const char *const *)argv, opts->timeout_ms,
                                          &reply, &ok, &err);
    g_free(argv);
    if (!answered) {
        fprintf(stderr, "craiectl: %s\n", err->message);
        return CRAIECTL_FAILURE;
    }
    if (!ok) {
        g_autofree char *msg = reply_error(reply);
        fprintf(stderr, "craiectl: %s\n", msg);
        return CRAIECTL_COMMAND_FAILED;
    }
    print_data(reply);
    return CRAIECTL_OK;
}

/* Prints events as they come: until --timeout if given (then success),
 * else until interrupted or until craie goes away. */
static int run_monitor(struct cr_ipc_client *client, const struct craiectl_options *opts)
{
    int64_t deadline =
        opts->timeout_set ? g_get_monotonic_time() + (int64_t)opts->timeout_ms * 1000 : -1;
    for (;;) {
        int timeout_ms = -1;
        if (deadline >= 0) {
            timeout_ms = (int)((deadline - g_get_monotonic_time()) / 1000);
            if (timeout_ms <= 0)
                return CRAIECTL_OK;
        }
        g_autoptr(GError) err = NULL;
        g_autofree char *line = cr_ipc_client_wait_event(client, NULL, timeout_ms, &err);
        if (!line) {
            if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
                return CRAIECTL_OK;
            fprintf(stderr, "craiectl: %s\n", err->message);
            return CRAIECTL_FAILURE;
        }
        printf("%s\n", line);
        fflush(stdout);
    }
}

static int run_wait_event(struct cr_ipc_client *client, const struct craiectl_options *opts)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *line = cr_ipc_client_wait_event(client, opts->argv[1], opts->timeout_ms, &err);
    if (!line) {
        fprintf(stderr, "craiectl: %s\n", err->message);
        return CRAIECTL_FAILURE;
    }
    printf("%s\n", line);
    return CRAIECTL_OK;
}

/* Checks the command's shape, connects and runs it. */
static int run(const struct craiectl_options *opts)
{
    const char *command = opts->argv[0];
    if (!strcmp(command, "monitor") && opts->argc != 1)
        return usage_error("%s", _("monitor takes no argument"));
    if (!strcmp(command, "wait-event") && opts->argc != 2)
        return usage_error("%s", _("usage: wait-event NAME"));
    if (!strcmp(command, "settings-pin") && opts->argc > 2)
        return usage_error("%s", _("settings-pin set reads the PIN from standard input"));
    if (opts->argc > CR_IPC_MAX_ARGS)
        return usage_error(_("too many arguments (max %s)"), G_STRINGIFY(CR_IPC_MAX_ARGS));

    g_autoptr(GError) err = NULL;
    struct cr_ipc_client *client = cr_ipc_client_connect(opts->socket_path, &err);
    if (!client) {
        fprintf(stderr, "craiectl: %s\n", err->message);
        fprintf(stderr, _("craiectl: is craie running?\n"));
        return CRAIECTL_FAILURE;
    }

    int status;
    if (!strcmp(command, "monitor"))
        status = run_monitor(client, opts);
    else if (!strcmp(command, "wait-event"))
        status = run_wait_event(client, opts);
    else
        status = run_command(client, opts);
    cr_ipc_client_free(client);
    return status;
}

int main(int argc, char **argv)
{
    cr_i18n_init("auto");

    struct craiectl_options opts = {0};
    int status = parse_args(argc, argv, &opts);
    if (status < 0)
        status = run(&opts);
    g_free(opts.socket_path);
    return status;
}
