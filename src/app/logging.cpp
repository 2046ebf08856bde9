#include "certman/app/logging.hpp"
#include <chrono>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace certman::app {
namespace {
// One JSON object per line: {"ts":"2026-11-28T05:33:51.123Z","level":"info","msg":"..."}
class json_formatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        using namespace std::chrono;
        const auto t = time_point_cast<milliseconds>(msg.time);
        const auto secs = time_point_cast<seconds>(t);
        std::time_t tt = system_clock::to_time_t(secs);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char stamp[64];
        std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>((t - secs).count()));
        const auto level = spdlog::level::to_string_view(msg.level);
        std::string line = std::string("{\"ts\":\"") + stamp + "\",\"level\":\"" +
                           std::string(level.data(), level.size()) + "\",\"msg\":\"" +
                           json_escape(std::string_view(msg.payload.data(), msg.payload.size())) + "\"}\n";
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }
};
}  // namespace

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

void setup_logging(const log_config& cfg) {
    auto logger = spdlog::default_logger();
    if (!logger || logger->name() != "certman") {
        logger = std::make_shared<spdlog::logger>("certman", std::make_shared<spdlog::sinks::stderr_sink_st>());
        spdlog::set_default_logger(logger);
    }
    if (cfg.format == "json") {
        logger->set_formatter(std::make_unique<json_formatter>());
    } else {
        logger->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %-5l %v",
                                                                          spdlog::pattern_time_type::utc));
    }
    logger->set_level(spdlog::level::from_str(cfg.level));
    logger->flush_on(spdlog::level::trace);
}
}  // namespace certman::app
