// Bounded, printable service text (contract in include/certman/cloud/alibaba/bounded_text.hpp).
#include "certman/cloud/alibaba/bounded_text.hpp"

namespace certman::cloud::alibaba {

std::string bounded_text(std::string_view text, std::size_t limit) {
    const bool cut = text.size() > limit;
    if (cut) {
        std::size_t n = limit - 3;
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // text[n]: first byte dropped
        text = text.substr(0, n);
    }
    std::string out;
    out.reserve(text.size() + 3);
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7F) ? ' ' : c;
    }
    if (cut) out += "...";
    return out;
}

}  // namespace certman::cloud::alibaba
