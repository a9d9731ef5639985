/* The media player on real files encoded at test time (x264 + Vorbis in
 * Matroska, Vorbis in Ogg) played by the real libvlc (audio to its dummy
 * output): pictures reach the slot with the SMPTE bars, pause stops them,
 * seek moves, in-memory bytes play, an audio file shows its card and
 * advances, a broken file is an error with a clear sentence, and destroying
 * leaves no thread. Events come through SDL's queue as in craie. */
#include <SDL.h>
#include <dirent.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

#include "common/util.h"
#include "display/events.h"
#include "display/player/player.h"
#include "tests/media/media_gen.h"

/* Upper bounds, generous for a loaded machine (an ASan build beside other
 * work): a passing run never waits for them. */
#define WAIT_MS 30000

static char *home_dir; /* HOME and XDG folders while libvlc runs */
static char *tmp_dir, *video_path, *audio_path, *broken_path;

struct fixture {
    struct cr_frame_slot slot;
    struct cr_player *p;
    struct cr_player_state st; /* the last one received */
    int n_states;
    int taken;
    struct cr_frame *last; /* the last frame taken (ref held) */
};

static void on_new_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

static void on_state(void *userdata, const struct cr_player_state *st)
{
    struct fixture *fx = userdata;
    fx->st = *st;
    fx->n_states++;
}

static const struct cr_player_callbacks player_cbs = {.on_state = on_state};

static void handle(struct fixture *fx, const SDL_Event *ev)
{
    enum cr_event_type type;
    void *payload;
    if (!cr_event_decode(ev, &type, &payload))
        return;
    if (type == CR_EVENT_NEW_FRAME) {
        struct cr_frame *f = cr_frame_slot_take(&fx->slot);
        if (f) {
            fx->taken++;
            cr_frame_unref(fx->last);
            fx->last = f;
        }
    } else if (type == CR_EVENT_PLAYER) {
        cr_player_dispatch(payload);
    }
    cr_event_free_payload(ev);
}

typedef bool (*cond_fn)(struct fixture *fx, void *arg);

/* Runs the UI loop until cond holds or ms pass; returns cond's last value. */
static bool run(struct fixture *fx, cond_fn cond, void *arg, int ms)
{
    int64_t end = cr_monotonic_us() + (int64_t)ms * 1000;
    while (!(cond && cond(fx, arg))) {
        int64_t left = (end - cr_monotonic_us()) / 1000;
        if (left <= 0)
            return cond ? cond(fx, arg) : true;
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, (int)CR_MIN(left, 50)))
            handle(fx, &ev);
    }
    return true;
}

static bool has_status(struct fixture *fx, void *arg)
{
    return fx->st.status == *(enum cr_player_status *)arg;
}

static bool has_frames(struct fixture *fx, void *arg)
{
    return fx->taken >= *(int *)arg;
}

static bool has_volume(struct fixture *fx, void *arg)
{
    return fx->st.volume == *(int *)arg;
}

static bool time_past(struct fixture *fx, void *arg)
{
    return fx->st.time_ms >= *(int64_t *)arg;
}

static void fixture_start(struct fixture *fx, const struct cr_player_options *base)
{
    memset(fx, 0, sizeof(*fx));
    cr_frame_slot_init(&fx->slot, &slot_cbs, fx);
    struct cr_player_options o = *base;
    o.slot = &fx->slot;
    o.cbs = &player_cbs;
    o.userdata = fx;
    o.aout = "adummy";
    fx->p = cr_player_new(&o);
    g_assert_nonnull(fx->p);
    cr_player_play(fx->p);
}

static void fixture_destroy(struct fixture *fx)
{
    cr_player_destroy(fx->p);
    /* Events still queued for the destroyed player are harmless. */
    run(fx, NULL, NULL, 100);
    cr_frame_unref(fx->last);
    cr_frame_slot_close(&fx->slot);
    cr_frame_slot_destroy(&fx->slot);
}

static void rgb_at(const struct cr_frame *f, int x, int y, uint8_t out[3])
{
    uint8_t *rgba = cr_frame_to_rgba(f, false, false);
    g_assert_nonnull(rgba);
    memcpy(out, rgba + ((size_t)y * f->width + x) * 4, 3);
    free(rgba);
}

static void assert_rgb(const struct cr_frame *f, int x, int y, int r, int g, int b)
{
    uint8_t c[3];
    rgb_at(f, x, y, c);
    if (abs(c[0] - r) > 30 || abs(c[1] - g) > 30 || abs(c[2] - b) > 30)
        g_error("pixel (%d,%d) is %d,%d,%d, expected about %d,%d,%d", x, y, c[0], c[1], c[2], r, g,
                b);
}

/* videotestsrc's SMPTE bars (100 %): white, yellow, cyan, green, magenta,
 * red, blue, in 7 columns over the top two thirds. */
static void assert_smpte(const struct cr_frame *f)
{
    g_assert_cmpint(f->format, ==, CR_PIXEL_I420);
    int col = f->width / 7, y = f->height / 4;
    assert_rgb(f, col / 2, y, 255, 255, 255);
    assert_rgb(f, col + col / 2, y, 255, 255, 0);
    assert_rgb(f, 2 * col + col / 2, y, 0, 255, 255);
    assert_rgb(f, 3 * col + col / 2, y, 0, 255, 0);
    assert_rgb(f, 4 * col + col / 2, y, 255, 0, 255);
    assert_rgb(f, 5 * col + col / 2, y, 255, 0, 0);
    assert_rgb(f, 6 * col + col / 2, y, 0, 0, 255);
}

/* The ids of this process's threads, as a set. */
static GHashTable *threads_now(void)
{
    GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    DIR *d = opendir("/proc/self/task");
    g_assert_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            g_hash_table_add(set, g_strdup(e->d_name));
    closedir(d);
    return set;
}

/* No thread is alive now that was not alive in before (consumed). */
static void assert_no_new_thread(GHashTable *before)
{
    GHashTable *now = threads_now();
    GHashTableIter it;
    gpointer tid;
    g_hash_table_iter_init(&it, now);
    while (g_hash_table_iter_next(&it, &tid, NULL))
        if (!g_hash_table_contains(before, tid))
            g_error("thread %s was left running", (char *)tid);
    g_hash_table_unref(now);
    g_hash_table_unref(before);
}

static void test_video_frames(void)
{
    GHashTable *threads = threads_now();
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = video_path, .volume = -1});
    int want = 10;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    enum cr_player_status playing = CR_PLAYER_PLAYING;
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));
    g_assert_cmpint(fx.last->width, ==, 320);
    g_assert_cmpint(fx.last->height, ==, 240);
    assert_smpte(fx.last);
    g_assert_true(fx.st.has_video);
    g_assert_false(fx.st.audio_only);
    g_assert_cmpint(fx.st.volume, ==, 100);
    /* The length is known (4 s), the position advances. */
    int64_t t = 300;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    g_assert_cmpint(fx.st.length_ms, >=, 3500);
    g_assert_cmpint(fx.st.length_ms, <=, 4500);
    g_assert_cmpfloat(fx.st.position, >, 0.0);
    g_assert_true(fx.st.seekable);
    struct cr_player_state direct = cr_player_get_state(fx.p);
    g_assert_cmpint(direct.status, ==, CR_PLAYER_PLAYING);
    g_assert_cmpuint(direct.frames, >=, (uint64_t)fx.taken);

    /* To the end: ended, position 1. */
    enum cr_player_status ended = CR_PLAYER_ENDED;
    g_assert_true(run(&fx, has_status, &ended, WAIT_MS));
    g_assert_cmpfloat(fx.st.position, ==, 1.0);
    /* Play again after the end: from the start. */
    int taken = fx.taken;
    cr_player_play(fx.p);
    want = taken + 5;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));

    fixture_destroy(&fx);
    /* No thread of libvlc's is left. */
    assert_no_new_thread(threads);
}

static void test_pause_stops_frames(void)
{
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = video_path, .volume = 50});
    int want = 10;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    cr_player_pause(fx.p);
    enum cr_player_status paused = CR_PLAYER_PAUSED;
    g_assert_true(run(&fx, has_status, &paused, WAIT_MS));
    run(&fx, NULL, NULL, 500); /* pictures already on their way */
    int taken = fx.taken;
    int64_t time_ms = fx.st.time_ms;
    run(&fx, NULL, NULL, 1200);
    g_assert_cmpint(fx.taken, ==, taken);
    g_assert_cmpint(fx.st.time_ms, ==, time_ms);
    g_assert_cmpint(fx.st.status, ==, CR_PLAYER_PAUSED);
    g_assert_cmpint(fx.st.volume, ==, 50);

    /* Seeking while paused shows the picture there (the ball has moved),
     * and stays paused. */
    cr_player_seek(fx.p, 0.6);
    want = taken + 1;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    run(&fx, NULL, NULL, 500);
    g_assert_cmpint(fx.st.status, ==, CR_PLAYER_PAUSED);
    g_assert_cmpint(fx.st.time_ms, >=, 2000);
    taken = fx.taken;

    /* toggle: playing again, frames again. */
    cr_player_toggle(fx.p);
    want = taken + 5;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    enum cr_player_status playing = CR_PLAYER_PLAYING;
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));
    /* libvlc's own volume events may come late: wait for the value. */
    int vol = 100;
    cr_player_set_volume(fx.p, 130);
    g_assert_true(run(&fx, has_volume, &vol, WAIT_MS));
    vol = 20;
    cr_player_set_volume(fx.p, 20);
    g_assert_true(run(&fx, has_volume, &vol, WAIT_MS));
    vol = 0;
    cr_player_toggle_mute(fx.p);
    g_assert_true(run(&fx, has_volume, &vol, WAIT_MS));
    vol = 20;
    cr_player_toggle_mute(fx.p);
    g_assert_true(run(&fx, has_volume, &vol, WAIT_MS));
    run(&fx, NULL, NULL, 300);
    g_assert_cmpint(fx.st.volume, ==, 20);
    fixture_destroy(&fx);
}

static void test_seek(void)
{
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = video_path, .volume = -1});
    int want = 5;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    enum cr_player_status playing = CR_PLAYER_PLAYING;
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));
    g_assert_cmpint(fx.st.time_ms, <, 1500);
    cr_player_seek(fx.p, 0.75);
    run(&fx, NULL, NULL, 300);
    /* The time jumped to three quarters of 4 s, and pictures go on. */
    int64_t t = 2900;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    g_assert_cmpfloat(fx.st.position, >=, 0.7);
    int taken = fx.taken;
    want = taken + 3;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    assert_smpte(fx.last);

    /* At the end, the seek bar still works: it plays again from there. */
    enum cr_player_status ended = CR_PLAYER_ENDED;
    g_assert_true(run(&fx, has_status, &ended, WAIT_MS));
    cr_player_seek(fx.p, 0.5);
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));
    t = 1900;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    g_assert_cmpint(fx.st.time_ms, <, 3500);
    /* … and Play after the next end starts from the beginning again. */
    g_assert_true(run(&fx, has_status, &ended, WAIT_MS));
    cr_player_play(fx.p);
    g_assert_true(run(&fx, has_status, &playing, WAIT_MS));
    want = fx.taken + 3;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    g_assert_cmpint(fx.st.time_ms, <, 1500);
    fixture_destroy(&fx);
}

static void test_in_memory(void)
{
    char *bytes;
    gsize len;
    g_assert_true(g_file_get_contents(video_path, &bytes, &len, NULL));
    struct fixture fx;
    fixture_start(
        &fx,
        &(struct cr_player_options){
            .data = bytes, .size = len, .free_data = g_free, .title = "video.mkv", .volume = -1});
    int want = 10;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    assert_smpte(fx.last);
    cr_player_seek(fx.p, 0.5);
    int64_t t = 1900;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    fixture_destroy(&fx); /* frees bytes */
}

/* A loopback HTTP server on its own thread, serving the video file. */
struct http_server {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    SoupServer *server;
    guint port;
    int requests; /* atomic */
};

static void serve(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *q,
                  gpointer data)
{
    struct http_server *hs = data;
    g_atomic_int_inc(&hs->requests);
    char *bytes;
    gsize len;
    if (strcmp(path, "/video.mkv") != 0 || !g_file_get_contents(video_path, &bytes, &len, NULL)) {
        soup_server_message_set_status(msg, 404, NULL);
        return;
    }
    /* SoupServer answers Range requests from the whole body. */
    soup_server_message_set_response(msg, "video/x-matroska", SOUP_MEMORY_TAKE, bytes, len);
    soup_server_message_set_status(msg, 200, NULL);
}

static gpointer http_thread(gpointer data)
{
    struct http_server *hs = data;
    g_main_context_push_thread_default(hs->ctx);
    g_main_loop_run(hs->loop);
    g_main_context_pop_thread_default(hs->ctx);
    return NULL;
}

static void test_http(void)
{
    struct http_server hs = {0};
    hs.ctx = g_main_context_new();
    hs.loop = g_main_loop_new(hs.ctx, FALSE);
    g_main_context_push_thread_default(hs.ctx);
    hs.server = soup_server_new(NULL, NULL);
    soup_server_add_handler(hs.server, NULL, serve, &hs, NULL);
    GError *err = NULL;
    g_assert_true(soup_server_listen_local(hs.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &err));
    GSList *uris = soup_server_get_uris(hs.server);
    hs.port = (guint)g_uri_get_port(uris->data);
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    g_main_context_pop_thread_default(hs.ctx);
    hs.thread = g_thread_new("http", http_thread, &hs);

    char *url = g_strdup_printf("http://127.0.0.1:%u/video.mkv", hs.port);
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = url, .volume = -1});
    int want = 10;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    assert_smpte(fx.last);
    g_assert_cmpint(g_atomic_int_get(&hs.requests), >=, 1);
    int64_t t = 300;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    g_assert_cmpint(fx.st.length_ms, >=, 3500);
    fixture_destroy(&fx);
    g_free(url);

    g_main_loop_quit(hs.loop);
    g_thread_join(hs.thread);
    g_object_unref(hs.server);
    g_main_loop_unref(hs.loop);
    g_main_context_unref(hs.ctx);
}

static void test_audio(void)
{
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = audio_path, .volume = -1});
    int64_t t = 800;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    g_assert_cmpint(fx.st.status, ==, CR_PLAYER_PLAYING);
    g_assert_true(fx.st.audio_only);
    g_assert_false(fx.st.has_video);
    /* The card: a picture, not black, with the title written in white. */
    int want = 1;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    struct cr_frame *card = fx.last;
    g_assert_cmpint(card->format, ==, CR_PIXEL_BGRA);
    g_assert_cmpint(card->width, ==, 1280);
    uint8_t c[3];
    rgb_at(card, 10, 10, c);
    g_assert_cmpint(c[0] + c[1] + c[2], >, 40);
    int white = 0;
    uint8_t *rgba = cr_frame_to_rgba(card, false, false);
    for (int y = 560; y < 660; y++)
        for (int x = 0; x < card->width; x++) {
            uint8_t *px = rgba + ((size_t)y * card->width + x) * 4;
            white += px[0] > 220 && px[1] > 220 && px[2] > 220;
        }
    free(rgba);
    g_assert_cmpint(white, >, 300);
    /* The time keeps going. */
    t = fx.st.time_ms + 500;
    g_assert_true(run(&fx, time_past, &t, WAIT_MS));
    fixture_destroy(&fx);
}

static void test_broken_file(void)
{
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = broken_path, .volume = -1});
    enum cr_player_status error = CR_PLAYER_ERROR;
    g_assert_true(run(&fx, has_status, &error, WAIT_MS));
    g_assert_nonnull(strstr(fx.st.error, "broken.mkv"));
    g_assert_cmpint(fx.taken, ==, 0);
    /* A file that does not exist: the same. */
    fixture_destroy(&fx);
    char *missing = g_build_filename(tmp_dir, "missing.mp4", NULL);
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = missing, .volume = -1});
    g_assert_true(run(&fx, has_status, &error, WAIT_MS));
    g_assert_nonnull(strstr(fx.st.error, "missing.mp4"));
    fixture_destroy(&fx);
    g_free(missing);
}

static void test_portrait(void)
{
    char *path = g_build_filename(tmp_dir, "portrait.mp4", NULL);
    g_assert_true(cr_test_make_portrait_video(path, 320, 240, 2));
    struct fixture fx;
    fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = path, .volume = -1});
    int want = 3;
    g_assert_true(run(&fx, has_frames, &want, WAIT_MS));
    /* Turned a quarter clockwise: 240×320, the white bar (left) on top,
     * the blue one (right) at the bottom. */
    g_assert_cmpint(fx.last->width, ==, 240);
    g_assert_cmpint(fx.last->height, ==, 320);
    assert_rgb(fx.last, 200, 20, 255, 255, 255);
    assert_rgb(fx.last, 200, 300, 0, 0, 255);
    fixture_destroy(&fx);
    g_unlink(path);
    g_free(path);
}

static void test_destroy_while_playing(void)
{
    GHashTable *threads = threads_now();
    for (int i = 0; i < 4; i++) {
        struct fixture fx;
        fixture_start(&fx, &(struct cr_player_options){.mrl_or_path = video_path, .volume = -1});
        if (i > 0)
            run(&fx, NULL, NULL, 150 * i);
        fixture_destroy(&fx);
    }
    assert_no_new_thread(threads);
}

/* Every path under dir (relative), in a list. */
static void walk(const char *dir, const char *rel, GPtrArray *out)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
        walk(path, r, out);
        g_ptr_array_add(out, r);
        g_free(path);
    }
    g_dir_close(d);
}

/* Run last: libvlc wrote nothing in the user's folders (no vlcrc, no
 * media library, no art cache) while every test above played. */
static void test_nothing_on_disk(void)
{
    GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
    walk(home_dir, NULL, found);
    for (guint i = 0; i < found->len; i++)
        g_test_message("left in HOME: %s", (char *)found->pdata[i]);
    g_assert_cmpuint(found->len, ==, 0);
    g_ptr_array_unref(found);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    /* Warnings are what craie logs on bad input: expected here. */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    if (SDL_Init(SDL_INIT_EVENTS) != 0 || !cr_events_init())
        g_error("SDL: %s", SDL_GetError());
    tmp_dir = g_dir_make_tmp("craie-media-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    video_path = g_build_filename(tmp_dir, "video.mkv", NULL);
    audio_path = g_build_filename(tmp_dir, "audio.ogg", NULL);
    broken_path = g_build_filename(tmp_dir, "broken.mkv", NULL);
    if (!cr_test_make_video(video_path, 320, 240, 4) || !cr_test_make_audio(audio_path, 4))
        g_error("cannot encode the test media");
    /* Matroska's magic, then garbage. */
    static const char broken[] = "\x1a\x45\xdf\xa3 this is not a video at all, just words";
    g_assert_true(g_file_set_contents(broken_path, broken, sizeof(broken), NULL));
    /* An empty home for libvlc (which reads HOME and XDG_* when it starts). */
    home_dir = g_dir_make_tmp("craie-media-home-XXXXXX", NULL);
    g_assert_nonnull(home_dir);
    g_setenv("HOME", home_dir, TRUE);
    g_unsetenv("XDG_CONFIG_HOME");
    g_unsetenv("XDG_CACHE_HOME");
    g_unsetenv("XDG_DATA_HOME");

    g_test_add_func("/player/video_frames", test_video_frames);
    g_test_add_func("/player/pause_stops_frames", test_pause_stops_frames);
    g_test_add_func("/player/seek", test_seek);
    g_test_add_func("/player/in_memory", test_in_memory);
    g_test_add_func("/player/http", test_http);
    g_test_add_func("/player/audio", test_audio);
    g_test_add_func("/player/broken_file", test_broken_file);
    g_test_add_func("/player/portrait", test_portrait);
    g_test_add_func("/player/destroy_while_playing", test_destroy_while_playing);
    g_test_add_func("/player/nothing_on_disk", test_nothing_on_disk);
    int rc = g_test_run();

    g_unlink(video_path);
    g_unlink(audio_path);
    g_unlink(broken_path);
    g_rmdir(tmp_dir);
    g_rmdir(home_dir); /* empty, or the test said what was left */
    g_free(home_dir);
    g_free(video_path);
    g_free(audio_path);
    g_free(broken_path);
    g_free(tmp_dir);
    cr_events_close();
    cr_events_drain();
    SDL_Quit();
    return rc;
}
