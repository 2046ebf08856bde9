// result<T>: the return type of every fallible boundary (STYLE.md §3). An alias for
// boost::system::result<T>, so errors are error_codes (usually certman::errc) and values move cheaply.
#pragma once
#include <boost/system/result.hpp>
#include "certman/core/errc.hpp"

namespace certman {
template <class T>
using result = boost::system::result<T, boost::system::error_code>;
using boost::system::error_code;
}  // namespace certman
