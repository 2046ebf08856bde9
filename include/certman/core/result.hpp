// result<T>: the return type of every fallible boundary (STYLE.md §3). An alias for
// boost::system::result<T, failure>: the error is a failure (core/failure.hpp), a code compared by name
// (`r.error() == errc::not_found`) together with the operator-facing message and an optional hint, returned
// by value. A bare code converts implicitly (`co_return errc::timeout;`), its message then the code's own.
#pragma once
#include <boost/system/result.hpp>
#include "certman/core/errc.hpp"
#include "certman/core/failure.hpp"

namespace certman {
template <class T>
using result = boost::system::result<T, failure>;
using boost::system::error_code;

}  // namespace certman
