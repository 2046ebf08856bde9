// A service's free text (an error Message, a job's ErrorMessage, a Code) made safe for one log line, a status page
// and the state file, however long or odd the answer. Pure.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace certman::cloud::alibaba {

inline constexpr std::size_t max_message_bytes = 300;  // Message, ErrorMessage
inline constexpr std::size_t max_code_bytes = 128;     // Code, RequestId, HostId, ErrorCode, JobId (real ones < 64)

// Control characters (bytes below 0x20, 0x7F) become spaces, so no answer can forge log lines; text over `limit`
// bytes is cut to limit - 3 bytes at a UTF-8 character boundary and ends in "...", so it stays valid UTF-8
// (Boost.JSON checked the answer) and at most `limit` bytes. Idempotent. `limit` >= 3.
std::string bounded_text(std::string_view text, std::size_t limit);

}  // namespace certman::cloud::alibaba
