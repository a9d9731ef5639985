/* Ink: pen strokes on a surface (the whiteboard, a tile's image), pure C and
 * unit-tested. UI thread only (no locking).
 *
 * Coordinates are the surface's *content* coordinates, chosen by the caller
 * so that they are isotropic (one unit is as long across as down) and do not
 * move when the surface is zoomed or panned: board units for the whiteboard,
 * the image's own pixel grid divided by its height for a tile (see tile.h).
 * Widths are in the same units. struct cr_ink_xform maps them to screen
 * pixels (or to the pixels of a saved image).
 *
 * A stroke is built per contact (a pen, a second pen, a finger), so several
 * pens write at once; a contact's stroke is never joined to the next one. A
 * stroke is smoothed as it comes (a one-euro low-pass on the samples; the
 * first and last points are kept exactly where the pen went down and up) and
 * again when tessellated (centripetal Catmull-Rom curves through the points,
 * width from pressure with a floor so that pens without pressure still draw).
 *
 * Every committed change is an action on an undo stack: a stroke added, the
 * strokes one eraser gesture removed, a clear. The eraser removes whole
 * strokes it touches. */
#ifndef CR_INK_H
#define CR_INK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cr_ink_rgba {
    uint8_t r, g, b, a;
};

/* Parses "#rrggbb" or a colour name (black, blue, red, green, white, yellow,
 * orange, purple, in English or French). Returns false on anything else. */
bool cr_ink_parse_color(const char *text, struct cr_ink_rgba *out);
/* "#rrggbb" into buf (8 bytes). */
const char *cr_ink_color_hex(struct cr_ink_rgba c, char buf[8]);

struct cr_ink_point {
    float x, y;     /* content units */
    float pressure; /* 0..1, smoothed */
};

struct cr_ink_stroke {
    uint32_t id;
    struct cr_ink_rgba color;
    float width; /* diameter at full pressure, content units */
    struct cr_ink_point *points;
    size_t n_points, cap_points;
    float min_x, min_y, max_x, max_y; /* bounds of the points (width not included) */
    bool alive;                       /* shown; false once undone or erased (kept for redo/undo) */
};

/* How wide a stroke is at a pressure, relative to its width: 1 at full (or
 * unknown) pressure, never below CR_INK_MIN_WIDTH_FACTOR. */
#define CR_INK_MIN_WIDTH_FACTOR 0.35
double cr_ink_width_factor(double pressure);

/* A stroke longer than this is committed and continued as a new one (a pen
 * left down on the board must not grow memory for ever). */
#define CR_INK_MAX_POINTS 4096
#define CR_INK_MAX_LIVE 10 /* contacts drawing at once */
#define CR_INK_HISTORY 200 /* undo depth */

enum cr_ink_action_type {
    CR_INK_ADD,   /* strokes[0] was drawn */
    CR_INK_ERASE, /* strokes were removed by one eraser gesture */
    CR_INK_CLEAR, /* every stroke was removed */
};

struct cr_ink_action {
    enum cr_ink_action_type type;
    struct cr_ink_stroke **strokes; /* borrowed from cr_ink.strokes */
    size_t n;
};

/* The live stroke of one contact and its input filter (ink.c). */
struct cr_ink_live {
    bool active;
    uint64_t key;
    struct cr_ink_stroke stroke; /* the last point is the raw pen tip */
    double px_per_unit;          /* screen scale when it began: the filter works in pixels */
    double fx, fy, dx, dy;       /* one-euro state: filtered position and speed */
    double fp;                   /* smoothed pressure */
    int64_t t_us;
    bool have_prev; /* the tip is a sample that has been filtered */
    double prev_fx, prev_fy;
};

struct cr_ink {
    /* Every stroke that is shown or that the history can bring back, in
     * drawing order. Owned. */
    struct cr_ink_stroke **strokes;
    size_t n_strokes, cap_strokes;
    /* history[0, n_done) can be undone, history[n_done, n_history) redone. */
    struct cr_ink_action *history;
    size_t n_history, n_done;
    /* Strokes removed by the eraser gesture in progress, not yet an action. */
    struct cr_ink_stroke **erasing;
    size_t n_erasing, cap_erasing;

    struct cr_ink_live live[CR_INK_MAX_LIVE];

    uint32_t next_id;
    /* Bumped on every visible change (live strokes included). */
    uint64_t changes;
    /* Bumped on every change other than a stroke appended at the end: a
     * cache of the drawn strokes must then be redrawn from scratch. */
    uint64_t epoch;
    /* Newest input time (µs) that changed this ink. */
    int64_t last_input_us;
};

void cr_ink_init(struct cr_ink *ink);
void cr_ink_destroy(struct cr_ink *ink);
/* dst (uninitialised) gets copies of the strokes src shows, committed,
 * with an empty history (a snapshot keeps the ink drawn on the live image;
 * a save renders a copy on its thread). */
void cr_ink_init_copy(struct cr_ink *dst, const struct cr_ink *src);

/* --- drawing ------------------------------------------------------------ */

struct cr_ink_pen {
    struct cr_ink_rgba color;
    float width; /* content units */
};

/* Starts a stroke for contact key at (x, y). px_per_unit: screen pixels per
 * content unit now (the smoothing and the spacing of points are in pixels).
 * A stroke the same contact still has is committed first: never joined. */
void cr_ink_begin(struct cr_ink *ink, uint64_t key, const struct cr_ink_pen *pen, double x,
                  double y, double pressure, int64_t time_us, double px_per_unit);
/* Adds a sample; false if the contact has no stroke (it is then ignored). */
bool cr_ink_extend(struct cr_ink *ink, uint64_t key, double x, double y, double pressure,
                   int64_t time_us);
/* Commits the contact's stroke (undoable). False if it had none. */
bool cr_ink_end(struct cr_ink *ink, uint64_t key);
/* Drops the contact's stroke (CANCEL: the contact was taken away). */
void cr_ink_cancel(struct cr_ink *ink, uint64_t key);
void cr_ink_cancel_all(struct cr_ink *ink);
bool cr_ink_is_live(const struct cr_ink *ink, uint64_t key);
/* The strokes being drawn now; returns how many were written (≤ max). */
size_t cr_ink_live_strokes(const struct cr_ink *ink, const struct cr_ink_stroke **out, size_t max);

/* --- erasing, undo ------------------------------------------------------ */

/* Removes every shown stroke that the eraser, a disc of radius r swept from
 * (x0, y0) to (x1, y1), touches. Returns how many. They become one action
 * with the others of the same gesture at cr_ink_erase_commit(). */
size_t cr_ink_erase(struct cr_ink *ink, double x0, double y0, double x1, double y1, double r);
void cr_ink_erase_commit(struct cr_ink *ink);
/* Brings back what the eraser gesture in progress removed (it was cancelled). */
void cr_ink_erase_revert(struct cr_ink *ink);

bool cr_ink_can_undo(const struct cr_ink *ink);
bool cr_ink_can_redo(const struct cr_ink *ink);
bool cr_ink_undo(struct cr_ink *ink);
bool cr_ink_redo(struct cr_ink *ink);
/* Removes every shown stroke (undoable); live strokes are dropped. False
 * when there was nothing to clear. */
bool cr_ink_clear(struct cr_ink *ink);
/* Strokes shown. */
size_t cr_ink_count(const struct cr_ink *ink);

/* --- geometry (ink_mesh.c) ---------------------------------------------- */

/* content → target pixels: (ax * x + bx, ay * y + by); a negative scale
 * flips. width_scale turns a content width into pixels. */
struct cr_ink_xform {
    double ax, bx, ay, by;
    double width_scale;
};

/* Triangles: xy holds 2 floats per vertex, indices 3 per triangle. */
struct cr_ink_mesh {
    float *xy;
    int n_vertices, cap_vertices;
    int *indices;
    int n_indices, cap_indices;
};

void cr_ink_mesh_init(struct cr_ink_mesh *m);
void cr_ink_mesh_destroy(struct cr_ink_mesh *m);
void cr_ink_mesh_clear(struct cr_ink_mesh *m);

/* Appends the triangles of a stroke in target pixels: a variable-width
 * curve through the points, round joins and caps; a single point is a dot.
 * Triangles overlap (draw them opaque). */
void cr_ink_tessellate(struct cr_ink_mesh *m, const struct cr_ink_stroke *s,
                       const struct cr_ink_xform *xf);

/* Fills the triangles into an RGBA buffer (bytes R G B A, stride bytes per
 * row), opaque colour, a pixel being covered when its centre is. */
void cr_ink_fill_rgba(uint8_t *rgba, int w, int h, int stride, const struct cr_ink_mesh *m,
                      struct cr_ink_rgba color);
/* Every shown stroke of ink, in order, into an RGBA buffer. */
void cr_ink_render_rgba(uint8_t *rgba, int w, int h, int stride, const struct cr_ink *ink,
                        const struct cr_ink_xform *xf);

#endif
