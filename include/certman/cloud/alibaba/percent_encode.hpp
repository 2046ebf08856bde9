// Percent-encoding as Alibaba Cloud's signers use it: RFC 3986 §2.3 unreserved characters stay as they are, every
// other byte (UTF-8 input is treated as bytes) becomes %XY with uppercase hex, and space is %20, never '+'.
// Both the RPC signature V1 (reference §1.1 step 2) and the OSS V4 canonical request (§4.3) are built on it.
#pragma once
#include <string>
#include <string_view>

namespace certman::cloud::alibaba {

// Encodes every byte of `in` except A-Z a-z 0-9 - _ . ~ as %XY (uppercase hex). Never fails.
std::string percent_encode(std::string_view in);

// Like percent_encode but keeps '/' as is: the OSS V4 canonical URI (reference §4.3).
std::string percent_encode_path(std::string_view in);

}  // namespace certman::cloud::alibaba
