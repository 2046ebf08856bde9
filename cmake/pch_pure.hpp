// Precompiled for certman_pure and its unit tests when CERTMAN_PCH=ON (clean builds: CI). Only what pure code
// may use: no Asio here, so the pure layer's independence is still checked by the ordinary build.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>
