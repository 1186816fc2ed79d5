#include "dp_clamav.h"

#include <clamav.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dp_clamav {
    struct cl_engine *engine;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static cl_error_t init_result = CL_SUCCESS;

static void initialize(void) { init_result = cl_init(CL_INIT_DEFAULT); }

const char *dp_clamav_version(void) { return cl_retver(); }

const char *dp_clamav_default_database(void) { return cl_retdbdir(); }

static void copy(char *to, int32_t capacity, const char *from) {
    if (capacity <= 0) return;
    snprintf(to, (size_t)capacity, "%s", from ? from : "");
}

dp_clamav *dp_clamav_open(const char *folder, uint32_t *signatures, char *error, int32_t capacity) {
    *signatures = 0;
    pthread_once(&init_once, initialize);
    if (init_result != CL_SUCCESS) {
        copy(error, capacity, cl_strerror(init_result));
        return NULL;
    }
    struct cl_engine *engine = cl_engine_new();
    if (!engine) {
        copy(error, capacity, "cl_engine_new failed");
        return NULL;
    }
    unsigned int loaded = 0;
    cl_error_t r = cl_load(folder, engine, &loaded, CL_DB_STDOPT);
    if (r == CL_SUCCESS && loaded == 0) {
        copy(error, capacity, "no signatures in the folder");
        cl_engine_free(engine);
        return NULL;
    }
    if (r == CL_SUCCESS) r = cl_engine_compile(engine);
    if (r != CL_SUCCESS) {
        copy(error, capacity, cl_strerror(r));
        cl_engine_free(engine);
        return NULL;
    }
    dp_clamav *out = malloc(sizeof(dp_clamav));
    if (!out) {
        cl_engine_free(engine);
        copy(error, capacity, "out of memory");
        return NULL;
    }
    out->engine = engine;
    *signatures = loaded;
    return out;
}

void dp_clamav_close(dp_clamav *e) {
    if (!e) return;
    cl_engine_free(e->engine);
    free(e);
}

int32_t dp_clamav_scan(dp_clamav *e, const uint8_t *data, size_t size, const char *name, char *virus, int32_t capacity) {
    cl_fmap_t *map = cl_fmap_open_memory(data, size);
    if (!map) {
        copy(virus, capacity, "cl_fmap_open_memory failed");
        return -(int32_t)CL_EMEM;
    }
    struct cl_scan_options options;
    memset(&options, 0, sizeof(options));
    options.parse = ~0u;
    options.general = CL_SCAN_GENERAL_HEURISTICS;
    const char *found = NULL;
    unsigned long scanned = 0;
    cl_error_t r = cl_scanmap_callback(map, name, &found, &scanned, e->engine, &options, NULL);
    cl_fmap_close(map);
    if (r == CL_VIRUS) {
        copy(virus, capacity, found);
        return 1;
    }
    if (r == CL_CLEAN) return 0;
    copy(virus, capacity, cl_strerror(r));
    return -(int32_t)r;
}
