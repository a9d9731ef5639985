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
static const char *const paper_choices[] = {"white", "black", "seyes", "grid", NULL};

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
        .section = "input",
        .key = "libinput",
        BOOL_FIELD(input.libinput),
        .default_value = "true",
        .help = N_("Read pens and touch screens with libinput"),
        .doc = "Whether craie reads pens, touch screens and IR frames itself with libinput "
               "(seat input.seat), which is what makes its own calibration possible. When false, "
               "craie only sees what the window system gives it (mouse and touch events, "
               "calibrated by the window system if at all).",
    },
    {
        .section = "input",
        .key = "seat",
        STRING_FIELD(input.seat),
        .default_value = "seat0",
        .help = N_("The seat whose input devices craie uses"),
        .doc = "The udev seat whose input devices craie opens. seat0 unless the PC drives "
               "several boards.",
    },
    {
        .section = "input",
        .key = "roles",
        STRING_FIELD(input.roles),
        .default_value = "",
        .help = N_("Device roles: PATTERN=pen|pen2|touch|ignore, ..."),
        .doc = "What each device does, by name (a shell pattern as in libinput list-devices), "
               "for example \"*IR Frame*=pen, *Pen 2*=pen2\". pen writes (an IR frame used "
               "with a stylus), pen2 writes in the second colour, touch moves and zooms like a "
               "finger, ignore drops the device. By default pens write (a second pen in the "
               "second colour) and fingers move and pinch-zoom.",
    },
    {
        .section = "input",
        .key = "quirks_dir",
        PATH_FIELD(input.quirks_dir),
        .default_value = "/etc/craie/quirks.d",
        .help = N_("Folder of local device quirks files"),
        .doc = "Folder of device quirks files (*.quirks) written for this installation, read in "
               "name order after the ones shipped with craie, so that they can add to them or "
               "override them: for example a pen that reports no resolution or only two "
               "pressure levels. See the comments of the shipped 50-craie.quirks file for the "
               "format. A missing folder is not an error.",
    },
    {
        .section = "input",
        .key = "calibration_points",
        INT_FIELD(input.calibration_points),
        .default_value = "9",
        .min = 4,
        .max = 16,
        .help = N_("Targets on the calibration screen: 4, 9 or 16"),
        .doc = "Number of targets on the calibration screen: 4, 9 or 16. Nine correct a "
               "projector's keystone; sixteen also correct the small distortions of a lens or "
               "an IR frame. Other values are read as 9.",
    },
    {
        .section = "input",
        .key = "offer_calibration",
        BOOL_FIELD(input.offer_calibration),
        .default_value = "true",
        .help = N_("Offer to calibrate a new pen or touch screen"),
        .doc = "When a pen, touch screen or IR frame that has never been calibrated is "
               "plugged in, offer the calibration screen once.",
    },
    {
        .section = "input",
        .key = "drift_px",
        INT_FIELD(input.drift_px),
        .default_value = "16",
        .min = 0,
        .max = 200,
        .help = N_("Tap offset (px) that offers recalibration; 0: off"),
        .doc = "During normal use craie compares taps on buttons with the buttons' centres. "
               "When the taps of a device land consistently more than this many pixels (at "
               "1920x1080) beside them, it offers to calibrate again. 0 disables the check.",
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
    {
        .section = "ink",
        .key = "color",
        STRING_FIELD(ink.color),
        .default_value = "#1d4ed8",
        .help = N_("Pen colour: #rrggbb or black, blue, red, green…"),
        .doc = "Colour the pen writes in when craie starts, as #rrggbb or a name (black, blue, "
               "red, green, white, yellow, orange, purple; French names work too). The default "
               "is a deep blue that stays readable on a projected white board. The teacher "
               "changes it with the colour buttons; an invalid value is reported and blue is "
               "used.",
    },
    {
        .section = "ink",
        .key = "second_color",
        STRING_FIELD(ink.second_color),
        .default_value = "#dc2626",
        .help = N_("Colour of a second pen"),
        .doc = "Colour of the second pen: when a board has two pens (two devices, or two tools "
               "on one device), the first one used writes in ink.color and the other one in "
               "this colour, so that two pupils can write at once and be told apart.",
    },
    {
        .section = "ink",
        .key = "width",
        INT_FIELD(ink.width),
        .default_value = "4",
        .min = 1,
        .max = 32,
        .help = N_("Pen width in pixels at 1920x1080"),
        .doc = "Width of the pen's line, in pixels of a 1920x1080 screen (scaled on others), "
               "at full pressure: pens that report pressure draw thinner when pressed lightly. "
               "This is the Medium size; the Thin and Thick buttons give half and two and a "
               "half times this.",
    },
    {
        .section = "ink",
        .key = "finger_draws",
        BOOL_FIELD(ink.finger_draws),
        .default_value = "false",
        .help = N_("Fingers write like the pen"),
        .doc = "When false (the default), the pen writes and fingers move and zoom pictures, "
               "so that a hand resting on the board never draws. Set it to true on a touch "
               "screen used without a pen: a finger then writes on the whiteboard and on "
               "pictures (zoom with the buttons there).",
    },
    {
        .section = "whiteboard",
        .key = "background",
        CHOICE_FIELD(whiteboard.background),
        .default_value = "white",
        .choices = paper_choices,
        .help = N_("Whiteboard paper: white, black, seyes or grid"),
        .doc = "Paper of the whiteboard when craie starts: white; black (a chalkboard, light "
               "ink); seyes (French school ruling, enlarged for the board: four fine lines per "
               "row and a red margin); grid (squares). The teacher changes it with the Paper "
               "button.",
    },
    {
        .section = "ent",
        .key = "kind",
        CHOICE_FIELD(ent.kind),
        .default_value = "none",
        .choices = (const char *const[]){"none", "entcore", "oidc", "cas", NULL},
        .help = N_("Kind of ENT: none, entcore, oidc or cas"),
        .doc = "The school's ENT: \"entcore\" for Open Digital Education platforms (ONE, NEO, "
               "Lycée Connecté...), \"oidc\" for any OpenID Connect provider (the QR code "
               "sign-in needs its device authorization grant, or ent.callback_url), \"cas\" "
               "for a CAS portal, \"none\" when the board has no ENT tile.",
    },
    {
        .section = "ent",
        .key = "url",
        STRING_FIELD(ent.url),
        .default_value = "",
        .help = N_("ENT, OpenID issuer or CAS base URL"),
        .doc = "For entcore, the ENT's address (https://ent.example.fr); for oidc, the issuer "
               "(its /.well-known/openid-configuration is read); for cas, the CAS base "
               "(https://cas.example.fr/cas).",
    },
    {
        .section = "ent",
        .key = "client_id",
        STRING_FIELD(ent.client_id),
        .default_value = "",
        .help = N_("Client id craie is registered with (cas: service URL)"),
        .doc = "The client id the ENT's administrator gave to this board (entcore: the "
               "connector's name; oidc: the client id). For cas, the service URL registered in "
               "the CAS server.",
    },
    {
        .section = "ent",
        .key = "client_secret_file",
        PATH_FIELD(ent.client_secret_file),
        .default_value = "",
        .help = N_("File holding the client secret (mode 0600)"),
        .doc = "A file holding the client secret on its first line, readable by its owner only "
               "(chmod 600): craie refuses it otherwise. Empty for a public client.",
    },
    {
        .section = "ent",
        .key = "ca_file",
        PATH_FIELD(ent.ca_file),
        .default_value = "",
        .help = N_("CA bundle for an ENT on a private PKI"),
        .doc = "A PEM file of the certificate authorities to trust for the ENT instead of the "
               "system's, for an ENT on a private PKI. Certificates are always verified.",
    },
    {
        .section = "ent",
        .key = "resources",
        STRING_FIELD(ent.resources),
        .default_value = "",
        .help = N_("Resource list: a JSON file or an https URL"),
        .doc = "The resources shown after sign-in when the ENT has no API for them (oidc, "
               "cas): a JSON file or an https URL, in the format of the technician's guide "
               "(doc/ent.md).",
    },
    {
        .section = "ent",
        .key = "scope",
        STRING_FIELD(ent.scope),
        .default_value = "",
        .help = N_("OAuth scopes to ask for; empty: the kind's default"),
        .doc = "Space-separated OAuth scopes. Empty means \"userinfo portal workspace auth cas "
               "gar userbook\" for entcore and \"openid profile email\" for oidc.",
    },
    {
        .section = "ent",
        .key = "idle_minutes",
        INT_FIELD(ent.idle_minutes),
        .default_value = "20",
        .min = 0,
        .max = 600,
        .help = N_("Minutes untouched before sign-out; 0: never"),
        .doc = "The teacher is signed out after this many minutes without a touch; a 60-second "
               "countdown that any touch cancels is shown first. 0 disables it.",
    },
    {
        .section = "ent",
        .key = "end_of_day",
        STRING_FIELD(ent.end_of_day),
        .default_value = "",
        .help = N_("Time of the day (HH:MM) to sign out; empty: none"),
        .doc = "A time (HH:MM, local) at which the teacher is signed out whatever happens, "
               "such as 18:30. Empty means none.",
    },
    {
        .section = "ent",
        .key = "callback_url",
        STRING_FIELD(ent.callback_url),
        .default_value = "",
        .help = N_("Board's https callback for the phone sign-in"),
        .doc = "The https address of this board that phones on the school network reach, "
               "registered as the redirect URI of craie's client at the ENT "
               "(https://board-12.school.lan:8443/ent/callback). Needed for the QR code "
               "sign-in with entcore, and with OpenID providers lacking the device grant.",
    },
    {
        .section = "ent",
        .key = "callback_port",
        INT_FIELD(ent.callback_port),
        .default_value = "0",
        .min = 0,
        .max = 65535,
        .help = N_("Callback port; 0: the URL's"),
        .doc = "The TCP port the callback listens on, when it differs from the port of "
               "ent.callback_url (behind a port forward). 0 uses the URL's port.",
    },
    {
        .section = "ent",
        .key = "callback_cert",
        PATH_FIELD(ent.callback_cert),
        .default_value = "",
        .help = N_("PEM certificate of the callback"),
        .doc = "The callback's PEM certificate (with its chain), for the name in "
               "ent.callback_url, from a CA the phones trust.",
    },
    {
        .section = "ent",
        .key = "callback_key",
        PATH_FIELD(ent.callback_key),
        .default_value = "",
        .help = N_("PEM private key of the callback"),
        .doc = "The private key of ent.callback_cert; readable by the user running craie only.",
    },
    {
        .section = "ent",
        .key = "room",
        STRING_FIELD(ent.room),
        .default_value = "",
        .help = N_("Classroom name shown on the teacher's phone"),
        .doc = "The classroom's name, shown on the teacher's phone after a QR code sign-in "
               "(\"the board of room 12 is signed in\"), so that a code scanned in the wrong "
               "room is noticed.",
    },
    {
        .section = "metrics",
        .key = "enabled",
        BOOL_FIELD(metrics.enabled),
        .default_value = "true",
        .help = N_("Serve metrics for Prometheus"),
        .doc = "Serve http://metrics.address:metrics.port/metrics in the Prometheus text "
               "format: uptime, restarts, frames dropped per source, cast sessions, sign-ins, "
               "errors by kind, calibration age and feature uses. No personal data.",
    },
    {
        .section = "metrics",
        .key = "address",
        STRING_FIELD(metrics.address),
        .default_value = "127.0.0.1",
        .help = N_("IP address the metrics listen on"),
        .doc = "The IP address the metrics endpoint listens on. The default, 127.0.0.1, "
               "answers this PC only; 0.0.0.0 answers the network (then set "
               "metrics.token_file).",
    },
    {
        .section = "metrics",
        .key = "port",
        INT_FIELD(metrics.port),
        .default_value = "9464",
        .min = 0,
        .max = 65535,
        .help = N_("TCP port of the metrics; 0: any free port"),
        .doc = "The TCP port of the metrics endpoint. 0 takes any free port: it is logged and "
               "shown by craiectl status.",
    },
    {
        .section = "metrics",
        .key = "token_file",
        PATH_FIELD(metrics.token_file),
        .default_value = "",
        .help = N_("File with the bearer token the metrics require"),
        .doc = "A file holding the token a scrape must send (Authorization: Bearer TOKEN). "
               "It must be mode 0600 and owned by the user running craie, or the metrics are "
               "not served (logged). Empty: no token is asked.",
    },
    {
        .section = "profile",
        .key = "url",
        STRING_FIELD(profile.url),
        .default_value = "",
        .help = N_("https URL of the room's signed profile"),
        .doc = "An https URL where craie fetches, at start, a profile: settings in this file's "
               "format for a room or a school, applied over this file and under the drop-ins "
               "and the command line. URL.sig must hold its Ed25519 signature (base64), checked "
               "with profile.public_key. The last good profile is kept in paths.state_dir and "
               "used when the network is down or the new one is refused. Never put a secret in "
               "a profile: secrets are files (see ent.client_secret_file).",
    },
    {
        .section = "profile",
        .key = "public_key",
        STRING_FIELD(profile.public_key),
        .default_value = "",
        .help = N_("Ed25519 public key of profiles (base64, or a PEM file)"),
        .doc = "The Ed25519 public key that signs profiles: its 32 bytes in base64 (what "
               "doc/technician.md shows how to print), or the path of a PEM public key file. "
               "Without it no profile is used.",
    },
    {
        .section = "profile",
        .key = "ca_file",
        PATH_FIELD(profile.ca_file),
        .default_value = "",
        .help = N_("CA bundle of the profile's server; empty: the system's"),
        .doc = "A PEM bundle of the certificate authorities that may sign the profile server's "
               "certificate, for a private PKI. Empty: the system's authorities.",
    },
};

const size_t cr_options_count = CR_ARRAY_SIZE(cr_options);

const struct cr_option_alias cr_option_aliases[] = {
    {.cli = "fullscreen", .option = "display.fullscreen", .value = "true"},
};

const size_t cr_option_aliases_count = CR_ARRAY_SIZE(cr_option_aliases);
