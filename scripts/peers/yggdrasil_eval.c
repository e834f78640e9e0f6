/*
 * yggdrasil-engine (Unleash's Rust engine) through its C ABI, the peer of `rollsim bench eval --case
 * constrained`. Loads libyggdrasilffi.so from the PyPI wheel, as Unleash's non-Rust SDKs do, and calls
 * new_engine, take_state, check_enabled and free_response: JSON context in, JSON answer out.
 *
 * The work is Rollsim's `constrained` case: the state ../shared/bench/constrained-state.json, flag
 * `constrained`, over 100,000 contexts {userId: "user-<i>", properties: {hw: "<i % 4>",
 * fw: "<1 + i % 3>.<i % 10>.0", region: "eu-west"}} taken in turn. The context JSON strings are built
 * before timing starts (as Rollsim builds its contexts in advance); each timed evaluation is one
 * check_enabled call, reading its answer (is "value" true?) and one free_response.
 *
 *     gcc -O2 -o yggdrasil_eval scripts/peers/yggdrasil_eval.c -ldl
 *     ./yggdrasil_eval --library .venv/lib/python3.11/site-packages/yggdrasil_engine/lib/libyggdrasilffi.so \
 *         --state ../shared/bench/constrained-state.json --evaluations 1000000 --json
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *(*new_engine_fn)(void);
typedef char *(*take_state_fn)(void *engine, const char *state_json);
typedef char *(*check_enabled_fn)(void *engine, const char *toggle, const char *context_json,
                                  const char *custom_strategy_results_json);
typedef void (*free_response_fn)(char *response);
typedef void (*free_engine_fn)(void *engine);
typedef char *(*get_core_version_fn)(void);

enum { CONTEXTS = 100000 };

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

static void *need(void *library, const char *name) {
  void *symbol = dlsym(library, name);
  if (!symbol) {
    fprintf(stderr, "yggdrasil_eval: %s is missing from the library: %s\n", name, dlerror());
    exit(1);
  }
  return symbol;
}

/* An answer is {"status_code":"Ok","value":true|false|null,"error_message":...}. */
static int answer_enabled(const char *answer) {
  if (!strstr(answer, "\"status_code\":\"Ok\"")) {
    fprintf(stderr, "yggdrasil_eval: check_enabled answered %s\n", answer);
    exit(1);
  }
  return strstr(answer, "\"value\":true") != NULL;
}

int main(int argc, char **argv) {
  const char *library_path = NULL, *state_path = "../shared/bench/constrained-state.json", *flag = "constrained";
  long evaluations = 1000000;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--library") && i + 1 < argc) library_path = argv[++i];
    else if (!strcmp(argv[i], "--state") && i + 1 < argc) state_path = argv[++i];
    else if (!strcmp(argv[i], "--flag") && i + 1 < argc) flag = argv[++i];
    else if (!strcmp(argv[i], "--evaluations") && i + 1 < argc) evaluations = atol(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else {
      fprintf(stderr, "usage: %s --library libyggdrasilffi.so [--state FILE] [--flag NAME] [--evaluations N] [--json]\n",
              argv[0]);
      return 2;
    }
  }
  if (!library_path || evaluations < 1) {
    fprintf(stderr, "yggdrasil_eval: --library is required and --evaluations must be at least 1\n");
    return 2;
  }

  void *library = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "yggdrasil_eval: cannot load %s: %s\n", library_path, dlerror());
    return 1;
  }
  new_engine_fn new_engine = (new_engine_fn)need(library, "new_engine");
  take_state_fn take_state = (take_state_fn)need(library, "take_state");
  check_enabled_fn check_enabled = (check_enabled_fn)need(library, "check_enabled");
  free_response_fn free_response = (free_response_fn)need(library, "free_response");
  free_engine_fn free_engine = (free_engine_fn)need(library, "free_engine");
  get_core_version_fn get_core_version = (get_core_version_fn)dlsym(library, "get_core_version");

  char *state = read_file(state_path);
  if (!state) {
    fprintf(stderr, "yggdrasil_eval: cannot read %s\n", state_path);
    return 1;
  }
  void *engine = new_engine();
  char *taken = take_state(engine, state);
  if (!taken || !strstr(taken, "\"status_code\":\"Ok\"")) {
    fprintf(stderr, "yggdrasil_eval: take_state answered %s\n", taken ? taken : "(null)");
    return 1;
  }
  free_response(taken);

  /* The contexts, built before timing. */
  char **contexts = malloc(sizeof(char *) * CONTEXTS);
  for (int i = 0; i < CONTEXTS; i++) {
    char buffer[160];
    int length = snprintf(buffer, sizeof buffer,
                          "{\"userId\":\"user-%d\",\"properties\":{\"hw\":\"%d\",\"fw\":\"%d.%d.0\",\"region\":\"eu-west\"}}",
                          i, i % 4, 1 + i % 3, i % 10);
    contexts[i] = malloc((size_t)length + 1);
    memcpy(contexts[i], buffer, (size_t)length + 1);
  }
  const char *no_custom_strategies = "{}";

  /* Warm up: every context once. */
  for (int i = 0; i < CONTEXTS; i++) {
    char *answer = check_enabled(engine, flag, contexts[i], no_custom_strategies);
    (void)answer_enabled(answer);
    free_response(answer);
  }

  long enabled = 0;
  int index = 0;
  uint64_t start = now_ns();
  for (long n = 0; n < evaluations; n++) {
    char *answer = check_enabled(engine, flag, contexts[index], no_custom_strategies);
    enabled += answer_enabled(answer);
    free_response(answer);
    if (++index == CONTEXTS) index = 0;
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
  for (char *c = version; *c; c++)
    if (*c == '"' || *c == '\\') *c = '_';

  if (json) {
    printf("{\"case\":\"constrained\",\"evaluations\":%ld,\"nsPerEval\":%.6g,\"enabledFraction\":%.6g,"
           "\"engine\":\"yggdrasil %s (C ABI)\"}\n",
           evaluations, elapsed / (double)evaluations, (double)enabled / (double)evaluations, version);
  } else {
    printf("yggdrasil case             constrained\nyggdrasil evaluations      %ld\nyggdrasil nsPerEval        %.4g\n"
           "yggdrasil enabledFraction  %.4g\nyggdrasil engine           %s\n",
           evaluations, elapsed / (double)evaluations, (double)enabled / (double)evaluations, version);
  }
  free_engine(engine);
  return 0;
}
