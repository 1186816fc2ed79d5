#include "dp_yara.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>

struct dp_yara_compiler {
    YR_COMPILER *compiler;
    char *error;
    int32_t capacity;
    int errors;
    const char *file_name;
};

struct dp_yara_rules {
    YR_RULES *rules;
};

int dp_yara_initialize(void) {
    static int done = 0;
    static int status = 0;
    if (!done) {
        status = yr_initialize();
        done = 1;
    }
    return status;
}

static void on_compile_error(int level, const char *file_name, int line, const YR_RULE *rule, const char *message, void *user) {
    (void)rule;
    struct dp_yara_compiler *c = user;
    if (level != YARA_ERROR_LEVEL_ERROR) return;
    if (c->errors++ == 0 && c->error && c->capacity > 0) {
        const char *name = file_name ? file_name : c->file_name ? c->file_name : "rules";
        snprintf(c->error, (size_t)c->capacity, "%s:%d: %s", name, line, message);
    }
}

dp_yara_compiler *dp_yara_compiler_create(void) {
    if (dp_yara_initialize() != ERROR_SUCCESS) return NULL;
    struct dp_yara_compiler *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (yr_compiler_create(&c->compiler) != ERROR_SUCCESS) {
        free(c);
        return NULL;
    }
    yr_compiler_set_callback(c->compiler, on_compile_error, c);
    yr_compiler_define_string_variable(c->compiler, "extension", "");
    yr_compiler_define_string_variable(c->compiler, "path", "");
    return c;
}

int dp_yara_compiler_add(dp_yara_compiler *c, const char *source, const char *name_space, const char *file_name, char *error,
                         int32_t capacity) {
    c->error = error;
    c->capacity = capacity;
    if (error && capacity > 0) error[0] = 0;
    int before = c->errors;
    c->file_name = file_name;
    yr_compiler_add_string(c->compiler, source, name_space);
    c->error = NULL;
    c->file_name = NULL;
    return c->errors - before;
}

dp_yara_rules *dp_yara_compiler_finish(dp_yara_compiler *c) {
    struct dp_yara_rules *r = NULL;
    if (c->errors == 0) {
        r = calloc(1, sizeof *r);
        if (r && yr_compiler_get_rules(c->compiler, &r->rules) != ERROR_SUCCESS) {
            free(r);
            r = NULL;
        }
    }
    yr_compiler_destroy(c->compiler);
    free(c);
    return r;
}

int32_t dp_yara_rules_count(const dp_yara_rules *r) {
    int32_t n = 0;
    const YR_RULE *rule;
    yr_rules_foreach(r->rules, rule) { n++; }
    return n;
}

void dp_yara_rules_destroy(dp_yara_rules *r) {
    if (!r) return;
    yr_rules_destroy(r->rules);
    free(r);
}

struct scan_state {
    char *out;
    int32_t capacity;
    int32_t used;
    int32_t matches;
    int truncated;
};

static int on_scan(YR_SCAN_CONTEXT *context, int message, void *data, void *user) {
    (void)context;
    if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
    struct scan_state *s = user;
    const YR_RULE *rule = data;
    s->matches++;
    int n = snprintf(NULL, 0, "%s:%s\n", rule->ns->name, rule->identifier);
    if (n >= 0 && s->used + n < s->capacity) {
        snprintf(s->out + s->used, (size_t)(s->capacity - s->used), "%s:%s\n", rule->ns->name, rule->identifier);
        s->used += n;
    } else {
        s->truncated = 1;
    }
    return CALLBACK_CONTINUE;
}

int32_t dp_yara_scan(dp_yara_rules *r, const uint8_t *data, size_t size, const char *extension, const char *path, int32_t timeout_seconds,
                     char *matches, int32_t capacity, int *truncated) {
    YR_SCANNER *scanner;
    int rc = yr_scanner_create(r->rules, &scanner);
    if (rc != ERROR_SUCCESS) return -rc;
    struct scan_state s = {matches, capacity, 0, 0, 0};
    if (capacity > 0) matches[0] = 0;
    yr_scanner_set_callback(scanner, on_scan, &s);
    yr_scanner_set_timeout(scanner, timeout_seconds);
    yr_scanner_define_string_variable(scanner, "extension", extension ? extension : "");
    yr_scanner_define_string_variable(scanner, "path", path ? path : "");
    rc = yr_scanner_scan_mem(scanner, data, size);
    yr_scanner_destroy(scanner);
    *truncated = s.truncated;
    if (rc != ERROR_SUCCESS) return -rc;
    return s.matches;
}
