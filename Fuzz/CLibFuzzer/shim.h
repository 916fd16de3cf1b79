#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (FuzzerDriver.cpp): parses the command line and fuzzes `callback`.
/// Called from each fuzz target's entry point, because SwiftPM links an executable with
/// `--defsym main=<Module>_main`, which keeps libFuzzer's own `main` out of the link.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
