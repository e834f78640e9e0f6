/*
 * yggdrasil-engine (Unleash's Rust engine) through its C ABI, the peer of `rollsim bench eval`. Loads
 * libyggdrasilffi.so from the PyPI wheel, as Unleash's non-Rust SDKs do, and calls new_engine, take_state,
 * check_enabled (or check_variant) and free_response: JSON context in, JSON answer out.
 *
 * The work is one of Rollsim's cases, written by `rollsim bench eval --peer-cases DIR`: DIR/<case>.state.json
 * (the state), DIR/<case>.contexts.jsonl (the contexts in the order Rollsim takes them, one JSON object a
 * line) and DIR/<case>.flags.txt (the flags in the order Rollsim asks for them). Context strings are read
 * before timing starts (as Rollsim builds its contexts in advance); each timed evaluation is one
 * check_enabled call (check_variant with --variant), reading its answer and one free_response. Contexts
 * and flags are taken in turn, each list cycling, as in Rollsim's loop.
 *
 *     gcc -O2 -o yggdrasil_eval scripts/peers/yggdrasil_eval.c -ldl
 *     rollsim bench eval --peer-cases /tmp/cases
 *     ./yggdrasil_eval --library .venv/lib/python3.11/site-packages/yggdrasil_engine/lib/libyggdrasilffi.so \
 *         --cases /tmp/cases --case constrained --evaluations 1000000 --json
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *(*new_engine_fn)(void);
typedef char *(*take_state_fn)(void *engine, const char *state_json);
typedef char *(*check_fn)(void *engine, const char *toggle, const char *context_json, const char *custom_strategy_results_json);
typedef void (*free_response_fn)(char *response);
typedef void (*free_engine_fn)(void *engine);
typedef char *(*get_core_version_fn)(void);

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static char *read_file(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = malloc((size_t)size + 1);
  if (text && fread(text, 1, (size_t)size, file) != (size_t)size) {
    free(text);
    text = NULL;
  }
  if (text) text[size] = 0;
  fclose(file);
  return text;
}

/* The non-empty lines of the file at `path`, in place: `*count` of them. Exits with a message on failure. */
static char **read_lines(const char *path, long *count) {
  char *text = read_file(path);
  if (!text) {
    fprintf(stderr, "yggdrasil_eval: cannot read %s (write it with rollsim bench eval --peer-cases)\n", path);
    exit(1);
  }
  long capacity = 1024, n = 0;
  char **lines = malloc(sizeof(char *) * (size_t)capacity);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (!*line) continue;
    if (n == capacity) lines = realloc(lines, sizeof(char *) * (size_t)(capacity *= 2));
    lines[n++] = line;
  }
  if (n == 0) {
    fprintf(stderr, "yggdrasil_eval: %s has no lines\n", path);
    exit(1);
  }
  *count = n;
  return lines;
}

static void *need(void *library, const char *name) {
  void *symbol = dlsym(library, name);
  if (!symbol) {
    fprintf(stderr, "yggdrasil_eval: %s is missing from the library: %s\n", name, dlerror());
    exit(1);
  }
  return symbol;
}

/* check_enabled answers {"status_code":"Ok","value":true|false|null,...}; check_variant answers
 * {"status_code":"Ok","value":{"name":...,"enabled":true|false,"feature_enabled":...}}. Either way the
 * evaluation counts as enabled when "enabled" (the variant's) or the value is true. */
static int answer_enabled(const char *answer, int variant) {
  if (!strstr(answer, "\"status_code\":\"Ok\"")) {
    fprintf(stderr, "yggdrasil_eval: the engine answered %s\n", answer);
    exit(1);
  }
  return strstr(answer, variant ? "\"enabled\":true" : "\"value\":true") != NULL;
}

int main(int argc, char **argv) {
  const char *library_path = NULL, *cases = NULL, *name = NULL;
  long evaluations = 1000000;
  int json = 0, variant = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--library") && i + 1 < argc) library_path = argv[++i];
    else if (!strcmp(argv[i], "--cases") && i + 1 < argc) cases = argv[++i];
    else if (!strcmp(argv[i], "--case") && i + 1 < argc) name = argv[++i];
    else if (!strcmp(argv[i], "--evaluations") && i + 1 < argc) evaluations = atol(argv[++i]);
    else if (!strcmp(argv[i], "--variant")) variant = 1;
    else if (!strcmp(argv[i], "--json")) json = 1;
    else {
      fprintf(stderr, "usage: %s --library libyggdrasilffi.so --cases DIR --case NAME [--variant] [--evaluations N] [--json]\n",
              argv[0]);
      return 2;
    }
  }
  if (!library_path || !cases || !name || evaluations < 1) {
    fprintf(stderr, "yggdrasil_eval: --library, --cases and --case are required, and --evaluations must be at least 1\n");
    return 2;
  }

  void *library = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "yggdrasil_eval: cannot load %s: %s\n", library_path, dlerror());
    return 1;
  }
  new_engine_fn new_engine = (new_engine_fn)need(library, "new_engine");
  take_state_fn take_state = (take_state_fn)need(library, "take_state");
  check_fn check = (check_fn)need(library, variant ? "check_variant" : "check_enabled");
  free_response_fn free_response = (free_response_fn)need(library, "free_response");
  free_engine_fn free_engine = (free_engine_fn)need(library, "free_engine");
  get_core_version_fn get_core_version = (get_core_version_fn)dlsym(library, "get_core_version");

  char path[4096];
  snprintf(path, sizeof path, "%s/%s.state.json", cases, name);
  char *state = read_file(path);
  if (!state) {
    fprintf(stderr, "yggdrasil_eval: cannot read %s (write it with rollsim bench eval --peer-cases)\n", path);
    return 1;
  }
  void *engine = new_engine();
  char *taken = take_state(engine, state);
  if (!taken || !strstr(taken, "\"status_code\":\"Ok\"")) {
    fprintf(stderr, "yggdrasil_eval: take_state answered %s\n", taken ? taken : "(null)");
    return 1;
  }
  free_response(taken);

  long context_count, flag_count;
  snprintf(path, sizeof path, "%s/%s.contexts.jsonl", cases, name);
  char **contexts = read_lines(path, &context_count);
  snprintf(path, sizeof path, "%s/%s.flags.txt", cases, name);
  char **flags = read_lines(path, &flag_count);
  const char *no_custom_strategies = "{}";

  /* Warm up: every context once. */
  long c = 0, f = 0;
  for (long n = 0; n < context_count; n++) {
    char *answer = check(engine, flags[f], contexts[c], no_custom_strategies);
    (void)answer_enabled(answer, variant);
    free_response(answer);
    if (++c == context_count) c = 0;
    if (++f == flag_count) f = 0;
  }

  long enabled = 0;
  c = 0;
  f = 0;
  uint64_t start = now_ns();
  for (long n = 0; n < evaluations; n++) {
    char *answer = check(engine, flags[f], contexts[c], no_custom_strategies);
    enabled += answer_enabled(answer, variant);
    free_response(answer);
    if (++c == context_count) c = 0;
    if (++f == flag_count) f = 0;
  }
  double elapsed = (double)(now_ns() - start);

  char version[64] = "unknown";
  if (get_core_version) {
    char *answer = get_core_version();
    if (answer) {
      snprintf(version, sizeof version, "%s", answer);
      free_response(answer);
    }
  }
  for (char *p = version; *p; p++)
    if (*p == '"' || *p == '\\') *p = '_';

  if (json) {
    printf("{\"case\":\"%s\",\"evaluations\":%ld,\"nsPerEval\":%.6g,\"enabledFraction\":%.6g,"
           "\"engine\":\"yggdrasil %s (C ABI)\"}\n",
           name, evaluations, elapsed / (double)evaluations, (double)enabled / (double)evaluations, version);
  } else {
    printf("yggdrasil case             %s\nyggdrasil evaluations      %ld\nyggdrasil nsPerEval        %.4g\n"
           "yggdrasil enabledFraction  %.4g\nyggdrasil engine           %s\n",
           name, evaluations, elapsed / (double)evaluations, (double)enabled / (double)evaluations, version);
  }
  free_engine(engine);
  return 0;
}
