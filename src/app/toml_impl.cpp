// toml++'s parser, compiled into certman once (built only with CERTMAN_BUNDLE_DEPS, the default) instead of
// linking libtomlplusplus.so: toml++ builds its implementation in the one translation unit that defines
// TOML_IMPLEMENTATION; every other file sees declarations only (TOML_HEADER_ONLY=0).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
