/* The document: picks a backend from the bytes, keeps the last pages
 * rendered, renders on a worker thread on request, and the view (page,
 * zoom, pan). */
#include "display/document/document.h"

#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/document/document_private.h"
#include "display/events.h"

#define CACHE_SIZE 4
#define MAX_WIDTH 8192
#define CACHE_BYTES ((size_t)192 << 20)

enum { WAKE_WORK = 1, WAKE_QUIT };

/* What a CR_EVENT_DOCUMENT event points at: outlives the document. */
struct doc_link {
    int refcount;            /* atomic */
    struct cr_document *doc; /* UI thread only; NULL once closed */
};

struct cached_page {
    int page, width;
    struct cr_frame *frame; /* ref held; NULL: empty entry */
    uint64_t used;
};

struct cr_document {
    struct cr_document_backend *b;
    struct doc_link *link;
    const struct cr_document_callbacks *cbs;
    void *userdata;

    GMutex render_lock; /* one render at a time: poppler is not thread-safe */
    GMutex lock;
    struct cached_page cache[CACHE_SIZE]; /* guarded by lock */
    uint64_t clock;                       /* guarded by lock */
    int want_page, want_width;            /* guarded by lock: the latest async request */
    bool want;                            /* guarded by lock */
    GThread *worker;                      /* made at first use, joined at close */
    GAsyncQueue *wake;                    /* to the worker: WORK or QUIT */
};

struct page_msg {
    struct doc_link *link;
    int page, width;
    struct cr_frame *frame; /* ref held, or NULL */
};

static struct doc_link *link_ref(struct doc_link *l)
{
    g_atomic_int_inc(&l->refcount);
    return l;
}

static void link_unref(struct doc_link *l)
{
    if (l && g_atomic_int_dec_and_test(&l->refcount))
        g_free(l);
}

static void page_msg_free(void *data)
{
    struct page_msg *m = data;
    cr_frame_unref(m->frame);
    link_unref(m->link);
    g_free(m);
}

/* --- opening ---------------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    return s && g_str_has_suffix(s, suffix);
}

/* A MIME type or a file name's extension, else the bytes' magic. */
static int guess_kind(const uint8_t *d, size_t n, const char *hint)
{
    char *lower = hint ? g_ascii_strdown(hint, -1) : NULL;
    int kind = -1;
    if (lower && (strcmp(lower, "application/pdf") == 0 || has_suffix(lower, ".pdf")))
        kind = CR_DOCUMENT_PDF;
    else if (lower &&
             (g_str_has_prefix(lower, "image/") || has_suffix(lower, ".png") ||
              has_suffix(lower, ".jpg") || has_suffix(lower, ".jpeg") ||
              has_suffix(lower, ".gif") || has_suffix(lower, ".bmp") || has_suffix(lower, ".webp")))
        kind = CR_DOCUMENT_IMAGE;
    g_free(lower);
    /* The bytes have the last word: a PDF named .png is a PDF. */
    if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
        return CR_DOCUMENT_PDF;
    if ((n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) ||
        (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0) || (n >= 6 && memcmp(d, "GIF8", 4) == 0))
        return CR_DOCUMENT_IMAGE;
    return kind;
}

static struct cr_document *open_bytes(GBytes *bytes, const char *hint, char **error)
{
    gsize n;
    const uint8_t *d = g_bytes_get_data(bytes, &n);
    if (n == 0) {
        if (error)
            *error = g_strdup(_("This document is empty."));
        g_bytes_unref(bytes);
        return NULL;
    }
    struct cr_document_backend *b = NULL;
    switch (guess_kind(d, n, hint)) {
    case CR_DOCUMENT_PDF:
        b = cr_document_pdf_open(bytes, error);
        break;
    case CR_DOCUMENT_IMAGE:
        b = cr_document_image_open(bytes, error);
        break;
    default:
        if (error)
            *error = g_strdup(_("craie cannot show this kind of document (only PDF files and "
                                "images)."));
        g_bytes_unref(bytes);
        return NULL;
    }
    if (!b)
        return NULL;
    struct cr_document *doc = g_new0(struct cr_document, 1);
    doc->b = b;
    g_mutex_init(&doc->lock);
    g_mutex_init(&doc->render_lock);
    doc->link = g_new0(struct doc_link, 1);
    doc->link->refcount = 1;
    doc->link->doc = doc;
    cr_info("document", "opened a %s of %d page(s)", b->kind == CR_DOCUMENT_PDF ? "PDF" : "image",
            b->ops->page_count(b));
    return doc;
}

struct cr_document *cr_document_open_bytes(const void *data, size_t size, const char *mime_or_name,
                                           char **error)
{
    if (error)
        *error = NULL;
    return open_bytes(g_bytes_new(data, size), mime_or_name, error);
}

struct cr_document *cr_document_open_file(const char *path, char **error)
{
    if (error)
        *error = NULL;
    char *contents;
    gsize len;
    GError *err = NULL;
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        cr_warn("document", "cannot read %s: %s", path, err->message);
        g_error_free(err);
        if (error) {
            char *base = g_path_get_basename(path);
            *error = g_strdup_printf(_("“%s” cannot be read: the file is missing or not "
                                       "readable."),
                                     base);
            g_free(base);
        }
        return NULL;
    }
    return open_bytes(g_bytes_new_take(contents, len), path, error);
}

void cr_document_close(struct cr_document *doc)
{
    if (!doc)
        return;
    if (doc->worker) {
        g_mutex_lock(&doc->lock);
        doc->want = false; /* what is queued is dropped */
        g_mutex_unlock(&doc->lock);
        g_async_queue_push(doc->wake, GINT_TO_POINTER(WAKE_QUIT));
        g_thread_join(doc->worker);
        g_async_queue_unref(doc->wake);
    }
    for (int i = 0; i < CACHE_SIZE; i++)
        cr_frame_unref(doc->cache[i].frame);
    doc->b->ops->destroy(doc->b);
    doc->link->doc = NULL;
    link_unref(doc->link);
    g_mutex_clear(&doc->lock);
    g_mutex_clear(&doc->render_lock);
    g_free(doc);
}

enum cr_document_kind cr_document_kind(const struct cr_document *doc)
{
    return doc->b->kind;
}

int cr_document_page_count(const struct cr_document *doc)
{
    return doc->b->ops->page_count(doc->b);
}

bool cr_document_page_size(const struct cr_document *doc, int page, double *width, double *height)
{
    if (page < 0 || page >= cr_document_page_count(doc))
        return false;
    return doc->b->ops->page_size(doc->b, page, width, height);
}

/* --- rendering ------------------------------------------------------------------ */

static struct cr_frame *cache_get(struct cr_document *doc, int page, int width)
{
    struct cr_frame *f = NULL;
    g_mutex_lock(&doc->lock);
    for (int i = 0; i < CACHE_SIZE; i++) {
        struct cached_page *c = &doc->cache[i];
        if (c->frame && c->page == page && c->width == width) {
            c->used = ++doc->clock;
            f = cr_frame_ref(c->frame);
            break;
        }
    }
    g_mutex_unlock(&doc->lock);
    return f;
}

static void cache_put(struct cr_document *doc, int page, int width, struct cr_frame *f)
{
    g_mutex_lock(&doc->lock);
    struct cached_page *victim = &doc->cache[0];
    for (int i = 0; i < CACHE_SIZE; i++) {
        if (!doc->cache[i].frame) {
            victim = &doc->cache[i];
            break;
        }
        if (doc->cache[i].used < victim->used)
            victim = &doc->cache[i];
    }
    cr_frame_unref(victim->frame);
    victim->frame = cr_frame_ref(f);
    victim->page = page;
    victim->width = width;
    victim->used = ++doc->clock;
    /* Within the memory budget: the oldest others go (a page zoomed to
     * 8192 px is about 130 MB). */
    for (;;) {
        size_t total = 0;
        struct cached_page *oldest = NULL;
        for (int i = 0; i < CACHE_SIZE; i++) {
            struct cached_page *c = &doc->cache[i];
            if (!c->frame)
                continue;
            total += (size_t)c->frame->strides[0] * c->frame->height;
            if (c != victim && (!oldest || c->used < oldest->used))
                oldest = c;
        }
        if (total <= CACHE_BYTES || !oldest)
            break;
        cr_frame_unref(oldest->frame);
        oldest->frame = NULL;
    }
    g_mutex_unlock(&doc->lock);
}

struct cr_frame *cr_document_render(struct cr_document *doc, int page, int width_px)
{
    if (page < 0 || page >= cr_document_page_count(doc))
        return NULL;
    width_px = CR_CLAMP(width_px, 1, MAX_WIDTH);
    if (doc->b->kind == CR_DOCUMENT_IMAGE)
        width_px = 0; /* one picture whatever the width */
    struct cr_frame *f = cache_get(doc, page, width_px);
    if (f)
        return f;
    g_mutex_lock(&doc->render_lock);
    f = cache_get(doc, page, width_px); /* rendered meanwhile by the worker */
    if (!f) {
        int64_t t0 = cr_monotonic_us();
        f = doc->b->ops->render(doc->b, page, width_px);
        if (f) {
            cache_put(doc, page, width_px, f);
            cr_debug("document", "page %d at %dpx: %.1f ms", page + 1, f->width,
                     (cr_monotonic_us() - t0) / 1000.0);
        }
    }
    g_mutex_unlock(&doc->render_lock);
    return f;
}

static void post_page(struct cr_document *doc, int page, int width, struct cr_frame *f)
{
    struct page_msg *m = g_new0(struct page_msg, 1);
    m->link = link_ref(doc->link);
    m->page = page;
    m->width = width;
    m->frame = f;
    cr_event_post(CR_EVENT_DOCUMENT, m, page_msg_free);
}

/* Worker thread: renders the latest request (older ones were replaced). */
static gpointer work(gpointer data)
{
    struct cr_document *doc = data;
    while (GPOINTER_TO_INT(g_async_queue_pop(doc->wake)) == WAKE_WORK) {
        g_mutex_lock(&doc->lock);
        bool want = doc->want;
        int page = doc->want_page, width = doc->want_width;
        doc->want = false;
        g_mutex_unlock(&doc->lock);
        if (want)
            post_page(doc, page, width, cr_document_render(doc, page, width));
    }
    return NULL;
}

void cr_document_set_callbacks(struct cr_document *doc, const struct cr_document_callbacks *cbs,
                               void *userdata)
{
    doc->cbs = cbs;
    doc->userdata = userdata;
}

void cr_document_render_async(struct cr_document *doc, int page, int width_px)
{
    struct cr_frame *f = cache_get(
        doc, page, doc->b->kind == CR_DOCUMENT_IMAGE ? 0 : CR_CLAMP(width_px, 1, MAX_WIDTH));
    if (f) {
        post_page(doc, page, width_px, f);
        return;
    }
    if (!doc->worker) {
        doc->wake = g_async_queue_new();
        doc->worker = g_thread_new("cr-document", work, doc);
    }
    g_mutex_lock(&doc->lock);
    doc->want = true;
    doc->want_page = page;
    doc->want_width = width_px;
    g_mutex_unlock(&doc->lock);
    g_async_queue_push(doc->wake, GINT_TO_POINTER(WAKE_WORK));
}

void cr_document_dispatch(void *payload)
{
    struct page_msg *m = payload;
    struct cr_document *doc = m && m->link ? m->link->doc : NULL;
    if (doc && doc->cbs && doc->cbs->on_page)
        doc->cbs->on_page(doc->userdata, m->page, m->width, m->frame);
}

/* --- the view ------------------------------------------------------------------------ */

void cr_document_view_init(struct cr_document_view *v, const struct cr_document *doc)
{
    memset(v, 0, sizeof(*v));
    v->n_pages = doc ? cr_document_page_count(doc) : 1;
    cr_document_view_fit(v);
}

bool cr_document_view_go(struct cr_document_view *v, int page)
{
    page = CR_CLAMP(page, 0, CR_MAX(0, v->n_pages - 1));
    if (page == v->page)
        return false;
    v->page = page;
    cr_document_view_fit(v);
    return true;
}

bool cr_document_view_step(struct cr_document_view *v, int delta)
{
    return cr_document_view_go(v, v->page + delta);
}

void cr_document_view_zoom(struct cr_document_view *v, float factor)
{
    v->view.zoom = CR_CLAMP(v->view.zoom * factor, 1.0f, CR_TILE_ZOOM_MAX);
    if (v->view.zoom == 1.0f) {
        v->view.center_x = 0.5f;
        v->view.center_y = 0.5f;
    }
}

void cr_document_view_fit(struct cr_document_view *v)
{
    v->view.rotate180 = false;
    v->view.mirror = false;
    v->view.zoom = 1.0f;
    v->view.center_x = 0.5f;
    v->view.center_y = 0.5f;
}

int cr_document_view_render_width(const struct cr_document_view *v, int tile_width_px)
{
    float w = (float)CR_MAX(tile_width_px, 1) * CR_MAX(v->view.zoom, 1.0f);
    return (int)CR_MIN(w, (float)MAX_WIDTH);
}
