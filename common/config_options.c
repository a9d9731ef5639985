/* The table of every configuration key: type, default, range, command-line
 * shorthand and the text shown by --help, craie(1) and craie.conf(5).
 * Adding a field to struct cr_config means adding its row here; nothing
 * else has to change for it to be read, validated and documented. */
#include "common/config.h"

#include <stddef.h>

#include "common/i18n.h"
#include "common/util.h"

/* Offset of a struct cr_config field, checked at compile time to have the
 * C type the option type stores (a mismatch has no _Generic association
 * and does not compile). */
#define FIELD(member, ctype)                                                                       \
    (offsetof(struct cr_config, member) +                                                          \
     0 * sizeof(_Generic(((struct cr_config *)0)->member, ctype : 1)))

#define BOOL_FIELD(member) .type = CR_OPT_BOOL, .offset = FIELD(member, bool)
#define INT_FIELD(member) .type = CR_OPT_INT, .offset = FIELD(member, int)
#define STRING_FIELD(member) .type = CR_OPT_STRING, .offset = FIELD(member, char *)
#define PATH_FIELD(member) .type = CR_OPT_PATH, .offset = FIELD(member, char *)
#define CHOICE_FIELD(member) .type = CR_OPT_CHOICE, .offset = FIELD(member, char *)

static const char *const language_choices[] = {"auto", "fr", "en", NULL};

const struct cr_option cr_options[] = {
    {
        .section = "display",
        .key = "fullscreen",
        BOOL_FIELD(display.fullscreen),
        .default_value = "true",
        .cli = "windowed",
        .cli_value = "false",
        .help = N_("Cover the whole screen"),
        .doc = "Whether craie covers the whole screen, as it should on the projector PC. "
               "Set it to false (or pass --windowed) to get a window of display.width by "
               "display.height pixels, for testing on a desktop.",
    },
    {
        .section = "display",
        .key = "width",
        INT_FIELD(display.width),
        .default_value = "1280",
        .min = 320,
        .max = 7680,
        .help = N_("Window width in pixels when not full-screen"),
        .doc = "Width of the window, in pixels, when display.fullscreen is false. "
               "In full-screen mode craie uses the resolution of the screen.",
    },
    {
        .section = "display",
        .key = "height",
        INT_FIELD(display.height),
        .default_value = "720",
        .min = 240,
        .max = 4320,
        .help = N_("Window height in pixels when not full-screen"),
        .doc = "Height of the window, in pixels, when display.fullscreen is false. "
               "In full-screen mode craie uses the resolution of the screen.",
    },
    {
        .section = "ui",
        .key = "language",
        CHOICE_FIELD(ui.language),
        .default_value = "auto",
        .choices = language_choices,
        .help = N_("Language of the interface: auto, fr or en"),
        .doc = "Language of the interface. auto uses French unless the locale "
               "(LANGUAGE, LC_ALL, LC_MESSAGES or LANG) asks for English; fr and en force "
               "French or English whatever the locale.",
    },
    {
        .section = "ui",
        .key = "long_press_ms",
        INT_FIELD(ui.long_press_ms),
        .default_value = "2500",
        .min = 0,
        .max = 10000,
        .help = N_("Hold time (ms) that returns home; 0: never"),
        .doc = "Escape gesture: holding one finger still anywhere on the screen for this many "
               "milliseconds returns to the launcher from any screen, like the Home button at "
               "the bottom left. 0 disables the gesture; the Home button stays.",
    },
    {
        .section = "ui",
        .key = "demo",
        BOOL_FIELD(ui.demo),
        .default_value = "false",
        .cli = "demo",
        .cli_value = "true",
        .help = N_("Offer the test picture when no camera is found"),
        .doc = "When true, the document camera tile shows a generated test picture when no "
               "camera is connected, for demonstrations and training. When false, the tile "
               "says that no camera was found.",
    },
    {
        .section = "camera",
        .key = "device",
        STRING_FIELD(camera.device),
        .default_value = "auto",
        .cli = "camera",
        .help = N_("Camera: auto, test, a /dev/videoN path or part of its name"),
        .doc = "Which camera to use. auto picks the first capture device found; test uses a "
               "generated test picture; a /dev/videoN path or part of the device name (as "
               "listed by v4l2-ctl --list-devices) selects that camera.",
    },
    {
        .section = "camera",
        .key = "mode",
        STRING_FIELD(camera.mode),
        .default_value = "auto",
        .help = N_("Capture mode: auto or WIDTHxHEIGHT@FPS[/mjpeg|/raw]"),
        .doc = "Capture mode. auto takes the largest mode the camera offers at 25 frames per "
               "second or more (3840x2160 only when camera.allow_4k is true). A fixed mode such "
               "as 1920x1080@30/mjpeg forces the size, the frame rate and optionally the format.",
    },
    {
        .section = "camera",
        .key = "allow_4k",
        BOOL_FIELD(camera.allow_4k),
        .default_value = "true",
        .help = N_("Use 3840x2160 when the camera offers it at 25 fps or more"),
        .doc = "Let camera.mode auto choose 3840x2160 when the camera offers it at 25 frames per "
               "second or more. Set it to false on a slow PC or a 1080p projector: decoding 4K "
               "costs processor time for no visible gain.",
    },
    {
        .section = "camera",
        .key = "rotate180",
        BOOL_FIELD(camera.rotate180),
        .default_value = "false",
        .help = N_("Start with the picture turned upside down"),
        .doc = "Start with the picture rotated by 180 degrees, for a camera that faces the "
               "teacher. The teacher can still turn the picture from the camera screen.",
    },
    {
        .section = "camera",
        .key = "mirror",
        BOOL_FIELD(camera.mirror),
        .default_value = "false",
        .help = N_("Start with the picture mirrored"),
        .doc = "Start with the picture mirrored left to right. The teacher can still change it "
               "from the camera screen.",
    },
    {
        .section = "camera",
        .key = "save_dir",
        PATH_FIELD(camera.save_dir),
        .default_value = "",
        .help = N_("Folder for saved pictures; empty: Pictures/craie"),
        .doc = "Folder where the camera screen saves pictures as PNG files when the teacher taps "
               "Save. Empty means a craie folder in the Pictures folder of the user running "
               "craie (XDG_PICTURES_DIR), or ~/craie when there is none. A leading ~/ stands "
               "for the home folder.",
    },
    {
        .section = "camera",
        .key = "snapshots_max",
        INT_FIELD(camera.snapshots_max),
        .default_value = "12",
        .min = 1,
        .max = 100,
        .help = N_("Snapshots kept in memory"),
        .doc = "Number of snapshots kept in memory on the camera screen; the oldest is dropped "
               "when there are more. Snapshots never reach the disk unless the teacher saves "
               "them.",
    },
    {
        .section = "ipc",
        .key = "enabled",
        BOOL_FIELD(ipc.enabled),
        .default_value = "true",
        .help = N_("Open the control socket used by craiectl"),
        .doc = "Whether craie listens on its control socket, through which craiectl(1) and "
               "scripts drive it. Only the user running craie and root may connect.",
    },
    {
        .section = "ipc",
        .key = "socket",
        PATH_FIELD(ipc.socket),
        .default_value = "",
        .cli = "ipc-socket",
        .help = N_("Control socket path; empty: $XDG_RUNTIME_DIR/craie/ipc.sock"),
        .doc = "Path of the control socket. Empty means $XDG_RUNTIME_DIR/craie/ipc.sock, or "
               "/run/craie/ipc.sock when XDG_RUNTIME_DIR is not set. Give craiectl the same "
               "path.",
    },
    {
        .section = "cast",
        .key = "enabled",
        BOOL_FIELD(cast.enabled),
        .default_value = "true",
        .help = N_("Let pupils show their screens on the board"),
        .doc = "Whether craie serves the sender page through which pupils show the screen of "
               "their tablet or computer on the board (the Tablettes screen). Nothing is shown "
               "until the teacher approves it on the board.",
    },
    {
        .section = "cast",
        .key = "port",
        INT_FIELD(cast.port),
        .default_value = "8443",
        .min = 0,
        .max = 65535,
        .help = N_("Port of the sender page; 0: any free one"),
        .doc = "TCP port of the sender page (HTTPS and its WebSocket). The board shows the full "
               "address. 0 picks a free port at each start (tests).",
    },
    {
        .section = "cast",
        .key = "interfaces",
        STRING_FIELD(cast.interfaces),
        .default_value = "",
        .help = N_("Network interfaces or addresses for casting; empty: all"),
        .doc = "Comma-separated interface names (eth0, wlan0) or IP addresses on which the "
               "sender page listens and WebRTC media is received. Empty means every interface; "
               "the board shows the first non-loopback IPv4 address. No STUN or TURN server is "
               "ever contacted.",
    },
    {
        .section = "cast",
        .key = "code_digits",
        INT_FIELD(cast.code_digits),
        .default_value = "4",
        .min = 4,
        .max = 8,
        .help = N_("Length of the join code pupils type"),
        .doc = "Number of digits of the join code shown on the board. Five wrong codes from one "
               "device within five minutes lock that device out for five minutes; twenty from "
               "the whole room lock every new join for five minutes, and the board says so.",
    },
    {
        .section = "cast",
        .key = "code_minutes",
        INT_FIELD(cast.code_minutes),
        .default_value = "0",
        .min = 0,
        .max = 1440,
        .help = N_("A new join code every N minutes; 0: only on demand"),
        .doc = "The join code changes when the teacher taps it, when the Tablettes screen is "
               "opened with nobody connected (a new lesson), and, if this is not 0, every so "
               "many minutes. Pupils already connected stay connected.",
    },
    {
        .section = "cast",
        .key = "max_senders",
        INT_FIELD(cast.max_senders),
        .default_value = "50",
        .min = 1,
        .max = 50,
        .help = N_("Pupils connected at once (waiting or shown)"),
        .doc = "How many pupils may be connected at once, waiting or shown. At most 16 are "
               "shown side by side on the board.",
    },
    {
        .section = "cast",
        .key = "grace_s",
        INT_FIELD(cast.grace_s),
        .default_value = "30",
        .min = 0,
        .max = 600,
        .help = N_("Seconds a dropped pupil keeps its tile"),
        .doc = "When a pupil's device loses the network or reloads the page, its tile stays on "
               "the board (marked as waiting) for this many seconds, and the screen comes back "
               "into it if the device reconnects in time.",
    },
    {
        .section = "cast",
        .key = "srt_ports",
        STRING_FIELD(cast.srt_ports),
        .default_value = "",
        .help = N_("SRT ports for senders without a browser; empty: none"),
        .doc = "Comma-separated UDP ports on which craie listens for SRT callers sending "
               "MPEG-TS with H.264 (ffmpeg, OBS, gst-launch), one caller per port. The caller's "
               "stream id gives the join code and a name, as \"#!::u=NAME,r=CODE\" or "
               "\"CODE/NAME\"; the teacher approves it like a pupil's screen. Example: "
               "ffmpeg -re -i video.mp4 -c:v libx264 -tune zerolatency -f mpegts "
               "\"srt://BOARD:9000?streamid=4821/Atelier\".",
    },
    {
        .section = "cast",
        .key = "tls_cert",
        PATH_FIELD(cast.tls_cert),
        .default_value = "",
        .help = N_("TLS certificate; empty: made on first start"),
        .doc = "PEM certificate for the sender page, for a certificate the school's technician "
               "installs. Empty means a self-signed certificate made on first start in "
               "paths.state_dir (cast-cert.pem and cast-key.pem, the key readable by craie only).",
    },
    {
        .section = "cast",
        .key = "tls_key",
        PATH_FIELD(cast.tls_key),
        .default_value = "",
        .help = N_("Private key of cast.tls_cert"),
        .doc = "PEM private key of cast.tls_cert. Both must be set for them to be used.",
    },
    {
        .section = "log",
        .key = "verbose",
        BOOL_FIELD(log.verbose),
        .default_value = "false",
        .cli = "verbose",
        .cli_value = "true",
        .help = N_("Log debug messages too"),
        .doc = "Log debug messages as well: to the journal when craie runs under systemd, "
               "otherwise to standard error. Useful when chasing a camera or touch problem.",
    },
    {
        .section = "paths",
        .key = "state_dir",
        PATH_FIELD(paths.state_dir),
        .default_value = "/var/lib/craie",
        .help = N_("Folder for what must survive a reboot"),
        .doc = "Folder where craie keeps what must survive a reboot: touch calibration, the "
               "settings PIN hash, the TLS key. The user running craie must be able to write "
               "to it. Teacher data is never stored there.",
    },
};

const size_t cr_options_count = CR_ARRAY_SIZE(cr_options);

const struct cr_option_alias cr_option_aliases[] = {
    {.cli = "fullscreen", .option = "display.fullscreen", .value = "true"},
};

const size_t cr_option_aliases_count = CR_ARRAY_SIZE(cr_option_aliases);
