/* craie-bench: benchmarks of craie's paths, each against a baseline measured
 * in the same run (the numbers of one machine mean little alone; the ratio
 * to what the bare library does is what a change moves). Not a timed test. */
#include <stdio.h>
#include <string.h>

/* One benchmark: argv[0] is its name. Defined in bench_<name>.c. */
int cr_bench_camera(int argc, char **argv);
int cr_bench_calibration(int argc, char **argv);
int cr_bench_pen(int argc, char **argv);
int cr_bench_ent(int argc, char **argv);
int cr_bench_cast(int argc, char **argv);
int cr_bench_cast_senders(int argc, char **argv);
int cr_bench_web(int argc, char **argv);
int cr_bench_media(int argc, char **argv);

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} benches[] = {
    {"camera", cr_bench_camera,
     "document camera: test source MJPEG and raw 1080p30 through a tile, vs a bare appsink"},
    {"calibration", cr_bench_calibration,
     "pen calibration: error on keystoned projectors, craie's model vs affine"},
    {"pen", cr_bench_pen,
     "pen latency: evdev event to ink on screen through libinput, vs injected strokes"},
    {"ent", cr_bench_ent,
     "ENT: phone approval to resources listed, sign-out to wiped (loopback IdPs)"},
    {"cast", cr_bench_cast,
     "casting: tiles held at 30 fps, receiver CPU per stream, Chromium capture-to-present "
     "latency"},
    {"cast-senders", cr_bench_cast_senders, "(used by cast) WebRTC senders from a test source"},
    {"web", cr_bench_web,
     "web tile: first paint, CPU of a static and an animated page, vs GStreamer's wpesrc"},
    {"media", cr_bench_media,
     "video and documents: tap to first frame/page on screen, playback CPU, vs bare libvlc and "
     "poppler"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: craie-bench BENCHMARK [OPTIONS]   (BENCHMARK --help for its options)\n\n");
    for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
        fprintf(out, "  %-11s %s\n", benches[i].name, benches[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
        if (!strcmp(argv[1], benches[i].name))
            return benches[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "craie-bench: unknown benchmark '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
