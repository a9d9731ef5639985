/* libvlc adapter: vmem callbacks into frames, libvlc events into a state
 * delivered on the UI thread. libvlc types stay in this file. */
#include "display/player/player.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <vlc/vlc.h>

#include "build_config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/events.h"
#include "display/player/audio_card.h"

#define ALIGN32(v) (((v) + 31u) & ~31u)

/* What a CR_EVENT_PLAYER event carries: outlives the player, so that an
 * event still queued after cr_player_destroy() finds it gone. */
struct cr_player_link {
    int refcount;             /* atomic */
    struct cr_player *player; /* UI thread only; NULL once destroyed */
};

struct cr_player {
    libvlc_instance_t *vlc;
    libvlc_media_player_t *mp;
    libvlc_media_t *media; /* ref held: read by the video thread */
    struct cr_player_link *link;
    struct cr_frame_slot *slot;
    const struct cr_player_callbacks *cbs;
    void *userdata;
    char *title;

    const uint8_t *data; /* in-memory media, or NULL */
    size_t size;
    void (*free_data)(void *data);

    int max_w, max_h;
    int volume_before_mute; /* UI thread */
    double restart_at;      /* UI thread: seconds, for the next start after the end */
    bool start_set;         /* UI thread: a start-time option is on the media */

    /* vout thread only (format, lock, display callbacks) */
    unsigned vw, vh; /* visible size */
    unsigned pitches[3], lines[3];
    struct cr_frame *prepared; /* filled, to show at the next display (ref held) */
    bool prepared_shown;
    struct cr_frame *shown; /* the last picture pushed (ref held) */

    GMutex lock;
    struct cr_player_state state; /* guarded by lock */
    bool post_pending;            /* guarded by lock: a CR_EVENT_PLAYER is queued */
    bool card_shown;              /* guarded by lock */
    bool has_audio;               /* guarded by lock */
    uint64_t seq;                 /* guarded by lock */
    struct cr_ratelimit log_rl;   /* guarded by lock */
};

const char *cr_player_status_name(enum cr_player_status status)
{
    switch (status) {
    case CR_PLAYER_OPENING:
        return "opening";
    case CR_PLAYER_PLAYING:
        return "playing";
    case CR_PLAYER_PAUSED:
        return "paused";
    case CR_PLAYER_ENDED:
        return "ended";
    case CR_PLAYER_ERROR:
        return "error";
    }
    return "unknown";
}

static struct cr_player_link *link_ref(struct cr_player_link *l)
{
    g_atomic_int_inc(&l->refcount);
    return l;
}

static void link_unref(void *data)
{
    struct cr_player_link *l = data;
    if (l && g_atomic_int_dec_and_test(&l->refcount))
        g_free(l);
}

/* Any thread, lock held: one event at a time carries the latest state. */
static void post_locked(struct cr_player *p)
{
    if (p->post_pending)
        return;
    p->post_pending = true;
    /* cr_event_post never blocks and never calls back into us. */
    if (!cr_event_post(CR_EVENT_PLAYER, link_ref(p->link), link_unref))
        p->post_pending = false;
}

void cr_player_dispatch(void *payload)
{
    struct cr_player_link *l = payload;
    struct cr_player *p = l ? l->player : NULL;
    if (!p)
        return;
    g_mutex_lock(&p->lock);
    p->post_pending = false;
    struct cr_player_state st = p->state;
    g_mutex_unlock(&p->lock);
    if (p->cbs && p->cbs->on_state)
        p->cbs->on_state(p->userdata, &st);
}

/* --- pictures (vout thread) ---------------------------------------------- */

static unsigned on_format(void **opaque, char *chroma, unsigned *width, unsigned *height,
                          unsigned *pitches, unsigned *lines)
{
    struct cr_player *p = *opaque;
    const unsigned in_w = *width, in_h = *height;
    unsigned w = in_w, h = in_h;
    if (w == 0 || h == 0)
        return 0;
    /* A GPU decoder's surfaces (VA-API, VDPAU) cannot be read here: refused,
     * libvlc decodes in software instead. */
    if (!strncmp(chroma, "VA", 2) || !strncmp(chroma, "VD", 2))
        return 0;
    /* libvlc 3 gives the decoder's padded size (320×258 for a 320×240
     * H.264): ask for the visible size, in square pixels; libvlc crops and
     * scales into it. */
    libvlc_media_track_t **tracks = NULL;
    unsigned n = libvlc_media_tracks_get(p->media, &tracks);
    for (unsigned i = 0; i < n; i++) {
        const libvlc_media_track_t *t = tracks[i];
        if (t->i_type != libvlc_track_video || !t->video || !t->video->i_width ||
            !t->video->i_height)
            continue;
        w = t->video->i_width;
        h = t->video->i_height;
        if (t->video->i_sar_num > 0 && t->video->i_sar_den > 0 &&
            t->video->i_sar_num != t->video->i_sar_den)
            w = (unsigned)((uint64_t)w * t->video->i_sar_num / t->video->i_sar_den);
        /* A phone's portrait video: libvlc turns it upright, the size too. */
        if (t->video->i_orientation >= libvlc_video_orient_left_top) {
            unsigned tmp = w;
            w = h;
            h = tmp;
        }
        break;
    }
    if (tracks)
        libvlc_media_tracks_release(tracks, n);
    /* Scale down to fit the maximum, keeping the shape. */
    if (w > (unsigned)p->max_w || h > (unsigned)p->max_h) {
        double s = CR_MIN((double)p->max_w / w, (double)p->max_h / h);
        w = (unsigned)(w * s);
        h = (unsigned)(h * s);
    }
    w = CR_MAX(2u, w & ~1u);
    h = CR_MAX(2u, h & ~1u);
    memcpy(chroma, "I420", 4);
    *width = w;
    *height = h;
    pitches[0] = ALIGN32(w);
    pitches[1] = pitches[2] = ALIGN32(w / 2);
    /* Room below the picture: decoders may write whole macroblock rows. */
    lines[0] = ALIGN32(h) + 32;
    lines[1] = lines[2] = lines[0] / 2;
    p->vw = w;
    p->vh = h;
    memcpy(p->pitches, pitches, sizeof(p->pitches));
    memcpy(p->lines, lines, sizeof(p->lines));
    cr_info("player", "video %ux%u: I420 %ux%u", in_w, in_h, w, h);
    g_mutex_lock(&p->lock);
    p->state.has_video = true;
    p->state.audio_only = false;
    g_mutex_unlock(&p->lock);
    return 3; /* pictures in libvlc's pool */
}

static void on_format_cleanup(void *opaque)
{
}

/* A fresh frame per picture: libvlc decodes into it, then the slot (and
 * the tile) keep it as long as they need, with no copy. */
static void *on_lock(void *opaque, void **planes)
{
    struct cr_player *p = opaque;
    size_t sizes[3];
    for (int i = 0; i < 3; i++)
        sizes[i] = (size_t)p->pitches[i] * p->lines[i];
    void *block = NULL;
    if (posix_memalign(&block, 64, sizes[0] + sizes[1] + sizes[2] + 64) != 0)
        abort(); /* libvlc gives no way to refuse a picture */
    uint8_t *mem = block;
    uint8_t *pl[3] = {mem, mem + sizes[0], mem + sizes[0] + sizes[1]};
    int strides[3] = {(int)p->pitches[0], (int)p->pitches[1], (int)p->pitches[2]};
    struct cr_frame *f =
        cr_frame_new_wrapped(CR_PIXEL_I420, (int)p->vw, (int)p->vh, 3, pl, strides, free, mem);
    for (int i = 0; i < 3; i++)
        planes[i] = pl[i];
    return f;
}

/* Filled: it becomes the picture to show at the next display call (libvlc
 * calls lock, copies, unlock, then display, all on its video thread). */
static void on_unlock(void *opaque, void *picture, void *const *planes)
{
    struct cr_player *p = opaque;
    cr_frame_unref(p->prepared);
    p->prepared = picture;
    p->prepared_shown = false;
}

static bool same_pixels(const struct cr_frame *a, const struct cr_frame *b)
{
    if (a->width != b->width || a->height != b->height || a->format != b->format)
        return false;
    for (int i = 0; i < 3; i++) {
        int rows = i ? a->height / 2 : a->height, bytes = i ? a->width / 2 : a->width;
        for (int y = 0; y < rows; y++)
            if (memcmp(a->planes[i] + (size_t)y * a->strides[i],
                       b->planes[i] + (size_t)y * b->strides[i], bytes) != 0)
                return false;
    }
    return true;
}

static void on_display(void *opaque, void *picture)
{
    struct cr_player *p = opaque;
    struct cr_frame *f = p->prepared;
    /* libvlc copies and shows the last picture again and again while paused
     * (and a still video repeats itself): only a changed picture is new. */
    if (!f || f != picture || p->prepared_shown)
        return;
    p->prepared_shown = true;
    if (p->shown && same_pixels(p->shown, f))
        return;
    cr_frame_unref(p->shown);
    p->shown = cr_frame_ref(f);
    g_mutex_lock(&p->lock);
    f->seq = ++p->seq;
    p->state.frames++;
    g_mutex_unlock(&p->lock);
    f->capture_us = cr_monotonic_us();
    cr_frame_slot_push(p->slot, cr_frame_ref(f));
}

/* --- in-memory media (libvlc's input thread) -------------------------------- */

struct mem_reader {
    const struct cr_player *p;
    uint64_t offset;
};

static int mem_open(void *opaque, void **datap, uint64_t *sizep)
{
    struct cr_player *p = opaque;
    struct mem_reader *r = g_new0(struct mem_reader, 1);
    r->p = p;
    *datap = r;
    *sizep = p->size;
    return 0;
}

static ssize_t mem_read(void *opaque, unsigned char *buf, size_t len)
{
    struct mem_reader *r = opaque;
    if (r->offset >= r->p->size)
        return 0;
    size_t n = CR_MIN(len, (size_t)(r->p->size - r->offset));
    memcpy(buf, r->p->data + r->offset, n);
    r->offset += n;
    return (ssize_t)n;
}

static int mem_seek(void *opaque, uint64_t offset)
{
    struct mem_reader *r = opaque;
    if (offset > r->p->size)
        return -1;
    r->offset = offset;
    return 0;
}

static void mem_close(void *opaque)
{
    g_free(opaque);
}

/* --- libvlc events (libvlc's threads): never call libvlc here ------------------ */

static void set_error_locked(struct cr_player *p)
{
    p->state.status = CR_PLAYER_ERROR;
    g_snprintf(p->state.error, sizeof(p->state.error),
               _("“%s” cannot be played: the file is damaged, unreadable or in a format craie "
                 "does not know."),
               p->title);
}

static void show_card_locked(struct cr_player *p)
{
    if (p->card_shown || p->state.has_video || !p->has_audio)
        return;
    p->card_shown = true;
    p->state.audio_only = true;
    struct cr_frame *card = cr_audio_card_render(p->title, 1280, 720);
    if (card) {
        card->seq = ++p->seq;
        card->capture_us = cr_monotonic_us();
        cr_frame_slot_push(p->slot, card);
    }
}

static void on_vlc_event(const struct libvlc_event_t *ev, void *data)
{
    struct cr_player *p = data;
    g_mutex_lock(&p->lock);
    struct cr_player_state *st = &p->state;
    switch (ev->type) {
    case libvlc_MediaPlayerPlaying:
        st->status = CR_PLAYER_PLAYING;
        break;
    case libvlc_MediaPlayerPaused:
        if (st->status != CR_PLAYER_ERROR)
            st->status = CR_PLAYER_PAUSED;
        break;
    case libvlc_MediaPlayerEndReached:
        /* Nothing at all was found to play: that was no media. */
        if (!st->has_video && !p->has_audio)
            set_error_locked(p);
        else if (st->status != CR_PLAYER_ERROR) {
            st->status = CR_PLAYER_ENDED;
            st->position = 1.0;
            if (st->length_ms > 0)
                st->time_ms = st->length_ms;
        }
        break;
    case libvlc_MediaPlayerEncounteredError:
        set_error_locked(p);
        break;
    case libvlc_MediaPlayerTimeChanged:
        st->time_ms = ev->u.media_player_time_changed.new_time;
        if (st->status == CR_PLAYER_OPENING)
            st->status = CR_PLAYER_PLAYING;
        show_card_locked(p);
        break;
    case libvlc_MediaPlayerPositionChanged:
        st->position = CR_CLAMP(ev->u.media_player_position_changed.new_position, 0.0f, 1.0f);
        break;
    case libvlc_MediaPlayerLengthChanged:
        st->length_ms = ev->u.media_player_length_changed.new_length;
        break;
    case libvlc_MediaPlayerSeekableChanged:
        st->seekable = ev->u.media_player_seekable_changed.new_seekable != 0;
        break;
    case libvlc_MediaPlayerESAdded:
        if (ev->u.media_player_es_changed.i_type == libvlc_track_audio)
            p->has_audio = true;
        else if (ev->u.media_player_es_changed.i_type == libvlc_track_video)
            st->has_video = true;
        break;
    case libvlc_MediaPlayerAudioVolume: {
        float v = ev->u.media_player_audio_volume.volume;
        if (v >= 0)
            st->volume = CR_CLAMP((int)(v * 100.0f + 0.5f), 0, 100);
        break;
    }
    default:
        break;
    }
    post_locked(p);
    g_mutex_unlock(&p->lock);
}

static const libvlc_event_type_t watched[] = {
    libvlc_MediaPlayerPlaying,       libvlc_MediaPlayerPaused,
    libvlc_MediaPlayerEndReached,    libvlc_MediaPlayerEncounteredError,
    libvlc_MediaPlayerTimeChanged,   libvlc_MediaPlayerPositionChanged,
    libvlc_MediaPlayerLengthChanged, libvlc_MediaPlayerSeekableChanged,
    libvlc_MediaPlayerESAdded,       libvlc_MediaPlayerAudioVolume,
};

/* libvlc's messages into craie's log (module "vlc"): its errors at info
 * (a damaged file, a codec missing), rate-limited; the rest only with
 * --verbose. Any of libvlc's threads. */
static void on_vlc_log(void *data, int level, const libvlc_log_t *ctx, const char *fmt,
                       va_list args)
{
    struct cr_player *p = data;
    if (level == LIBVLC_DEBUG || (level < LIBVLC_ERROR && !cr_log_is_verbose()))
        return;
    g_mutex_lock(&p->lock);
    bool allow = cr_ratelimit_allow(&p->log_rl);
    g_mutex_unlock(&p->lock);
    if (allow)
        cr_logv(level >= LIBVLC_ERROR ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_DEBUG, "vlc", fmt, args);
}

/* --- lifecycle (UI thread) -------------------------------------------------- */

static char *default_title(const char *mrl)
{
    if (!mrl)
        return cr_xstrdup(_("Audio"));
    const char *q = strpbrk(mrl, "?#");
    char *base = q ? g_strndup(mrl, q - mrl) : g_strdup(mrl);
    char *slash = strrchr(base, '/');
    char *t = g_uri_unescape_string(slash && slash[1] ? slash + 1 : base, NULL);
    if (!t)
        t = g_strdup(slash && slash[1] ? slash + 1 : base);
    g_free(base);
    char *r = cr_xstrdup(t);
    g_free(t);
    return r;
}

static libvlc_media_t *make_media(struct cr_player *p, const char *mrl)
{
    if (p->data)
        return libvlc_media_new_callbacks(p->vlc, mem_open, mem_read, mem_seek, mem_close, p);
    if (strstr(mrl, "://"))
        return libvlc_media_new_location(p->vlc, mrl);
    return libvlc_media_new_path(p->vlc, mrl);
}

struct cr_player *cr_player_new(const struct cr_player_options *opts)
{
    if (!opts->slot || (!opts->mrl_or_path && !opts->data) || (opts->data && opts->size == 0)) {
        cr_warn("player", "no media given");
        if (opts->data && opts->free_data)
            opts->free_data((void *)opts->data);
        return NULL;
    }
    struct cr_player *p = cr_xcalloc(1, sizeof(*p));
    g_mutex_init(&p->lock);
    p->slot = opts->slot;
    p->cbs = opts->cbs;
    p->userdata = opts->userdata;
    p->data = opts->data;
    p->size = opts->size;
    p->free_data = opts->free_data;
    p->max_w = opts->max_width > 0 ? opts->max_width : 1920;
    p->max_h = opts->max_height > 0 ? opts->max_height : 1080;
    p->title = opts->title ? cr_xstrdup(opts->title) : default_title(opts->mrl_or_path);
    p->state.volume = opts->volume < 0 ? 100 : CR_MIN(opts->volume, 100);
    p->link = g_new0(struct cr_player_link, 1);
    p->link->refcount = 1;
    p->link->player = p;

    char aout[64] = "";
    const char *args[16];
    int n = 0;
    args[n++] = "--ignore-config"; /* no vlcrc read or written */
    args[n++] = "--no-video-title-show";
    args[n++] = "--no-xlib";
    args[n++] = "--no-metadata-network-access";
    args[n++] = "--no-snapshot-preview";
    args[n++] = "--no-stats";
    args[n++] = "--no-osd";
    args[n++] = "--avcodec-hw=none"; /* software decoding: no probing of VA-API, VDPAU */
    args[n++] = "--quiet";
    if (opts->aout) {
        g_snprintf(aout, sizeof(aout), "--aout=%s", opts->aout);
        args[n++] = aout;
    }
    p->vlc = libvlc_new(n, args);
    if (!p->vlc) {
        cr_warn("player", "libvlc cannot start: %s", libvlc_errmsg() ? libvlc_errmsg() : "?");
        goto fail;
    }
    libvlc_set_user_agent(p->vlc, "craie", "craie/" CR_VERSION);
    p->log_rl = (struct cr_ratelimit)CR_RATELIMIT_INIT(10000, 20);
    libvlc_log_set(p->vlc, on_vlc_log, p);
    libvlc_media_t *m = make_media(p, opts->mrl_or_path);
    if (!m) {
        cr_warn("player", "libvlc refuses the media");
        goto fail;
    }
    p->mp = libvlc_media_player_new_from_media(m);
    p->media = m;
    if (!p->mp) {
        cr_warn("player", "libvlc cannot make a player");
        goto fail;
    }
    libvlc_video_set_callbacks(p->mp, on_lock, on_unlock, on_display, p);
    libvlc_video_set_format_callbacks(p->mp, on_format, on_format_cleanup);
    libvlc_event_manager_t *em = libvlc_media_player_event_manager(p->mp);
    for (size_t i = 0; i < CR_ARRAY_SIZE(watched); i++)
        libvlc_event_attach(em, watched[i], on_vlc_event, p);
    cr_info("player", "opened %s", p->data ? "in-memory media" : "a media");
    return p;

fail:
    cr_player_destroy(p);
    return NULL;
}

void cr_player_destroy(struct cr_player *p)
{
    if (!p)
        return;
    if (p->mp) {
        libvlc_media_player_stop(p->mp); /* joins the input and video threads */
        libvlc_event_manager_t *em = libvlc_media_player_event_manager(p->mp);
        for (size_t i = 0; i < CR_ARRAY_SIZE(watched); i++)
            libvlc_event_detach(em, watched[i], on_vlc_event, p);
        libvlc_media_player_release(p->mp);
    }
    if (p->media)
        libvlc_media_release(p->media);
    if (p->vlc)
        libvlc_release(p->vlc);
    cr_frame_unref(p->prepared); /* libvlc's threads are gone */
    cr_frame_unref(p->shown);
    p->link->player = NULL;
    link_unref(p->link);
    if (p->data && p->free_data)
        p->free_data((void *)p->data);
    g_free(p->title);
    g_mutex_clear(&p->lock);
    g_free(p);
}

/* Sets where the next start begins, in seconds (libvlc's start-time
 * option on the media: the last one added counts). UI thread. */
static void set_start(struct cr_player *p, double seconds)
{
    if (seconds <= 0 && !p->start_set)
        return;
    char opt[64];
    g_snprintf(opt, sizeof(opt), ":start-time=%.3f", CR_MAX(seconds, 0.0));
    libvlc_media_add_option(p->media, opt);
    p->start_set = seconds > 0;
}

void cr_player_play(struct cr_player *p)
{
    g_mutex_lock(&p->lock);
    enum cr_player_status s = p->state.status;
    int volume = p->state.volume;
    g_mutex_unlock(&p->lock);
    if (s == CR_PLAYER_PAUSED) {
        libvlc_media_player_set_pause(p->mp, 0);
        return;
    }
    if (s == CR_PLAYER_ENDED || s == CR_PLAYER_ERROR) {
        libvlc_media_player_stop(p->mp);
        set_start(p, p->restart_at);
        p->restart_at = 0;
        g_mutex_lock(&p->lock);
        p->state.status = CR_PLAYER_OPENING;
        p->state.position = 0;
        p->state.time_ms = 0;
        p->state.error[0] = '\0';
        post_locked(p);
        g_mutex_unlock(&p->lock);
    }
    if (libvlc_media_player_play(p->mp) != 0) {
        g_mutex_lock(&p->lock);
        set_error_locked(p);
        post_locked(p);
        g_mutex_unlock(&p->lock);
        return;
    }
    libvlc_audio_set_volume(p->mp, volume);
}

void cr_player_pause(struct cr_player *p)
{
    if (libvlc_media_player_can_pause(p->mp))
        libvlc_media_player_set_pause(p->mp, 1);
}

void cr_player_toggle(struct cr_player *p)
{
    g_mutex_lock(&p->lock);
    bool playing = p->state.status == CR_PLAYER_PLAYING;
    g_mutex_unlock(&p->lock);
    if (playing)
        cr_player_pause(p);
    else
        cr_player_play(p);
}

void cr_player_seek(struct cr_player *p, double fraction)
{
    fraction = CR_CLAMP(fraction, 0.0, 1.0);
    g_mutex_lock(&p->lock);
    bool ended = p->state.status == CR_PLAYER_ENDED;
    int64_t length_ms = p->state.length_ms;
    bool seekable = p->state.seekable;
    g_mutex_unlock(&p->lock);
    /* After the end there is nothing to seek in: start again from there. */
    if (ended && seekable && length_ms > 0) {
        p->restart_at = fraction * (double)length_ms / 1000.0;
        cr_player_play(p);
        return;
    }
    if (!libvlc_media_player_is_seekable(p->mp))
        return;
    libvlc_media_player_set_position(p->mp, (float)fraction);
    g_mutex_lock(&p->lock);
    p->state.position = fraction;
    if (p->state.length_ms > 0)
        p->state.time_ms = (int64_t)(fraction * (double)p->state.length_ms);
    post_locked(p);
    g_mutex_unlock(&p->lock);
}

void cr_player_set_volume(struct cr_player *p, int volume)
{
    volume = CR_CLAMP(volume, 0, 100);
    libvlc_audio_set_volume(p->mp, volume); /* -1 before the audio output exists */
    g_mutex_lock(&p->lock);
    p->state.volume = volume;
    post_locked(p);
    g_mutex_unlock(&p->lock);
}

void cr_player_toggle_mute(struct cr_player *p)
{
    g_mutex_lock(&p->lock);
    int volume = p->state.volume;
    g_mutex_unlock(&p->lock);
    if (volume > 0) {
        p->volume_before_mute = volume;
        cr_player_set_volume(p, 0);
    } else {
        cr_player_set_volume(p, p->volume_before_mute > 0 ? p->volume_before_mute : 100);
    }
}

struct cr_player_state cr_player_get_state(struct cr_player *p)
{
    g_mutex_lock(&p->lock);
    struct cr_player_state st = p->state;
    g_mutex_unlock(&p->lock);
    return st;
}
