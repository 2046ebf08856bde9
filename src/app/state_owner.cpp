// Refusing root runs on another user's state directory (contract in the header).
#include "certman/app/state_owner.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

namespace certman::app {

std::string shell_quote(std::string_view word) {
    const bool plain = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                               "0123456789-_./=:,+@%") == std::string_view::npos;
    if (plain) return std::string(word);
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::optional<std::string> foreign_state_refusal(uid_t euid, uid_t owner_uid, std::string_view owner_name,
                                                 std::string_view path, const std::vector<std::string>& argv) {
    if (euid != 0 || owner_uid == 0) return std::nullopt;
    const std::string user = owner_name.empty() ? "#" + std::to_string(owner_uid) : std::string(owner_name);
    std::string command = "sudo -u " + shell_quote(user);
    for (const auto& a : argv) command += " " + shell_quote(a);
    return "the state directory " + std::string(path) + " belongs to " + user +
           " (the user the daemon runs as); running as root would leave files there that the daemon cannot read or "
           "replace. Run it as " + user + " instead:\n  " + command;
}

namespace {
std::vector<std::string> own_command_line() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv;
    std::string::size_type at = 0;
    while (at < raw.size()) {
        auto end = raw.find('\0', at);
        if (end == std::string::npos) end = raw.size();
        argv.push_back(raw.substr(at, end - at));
        at = end + 1;
    }
    if (argv.empty()) argv.push_back("certman");
    return argv;
}
}  // namespace

std::optional<std::string> check_state_owner(const config& cfg) {
    const auto* dir = cfg.storage.local_directory();
    if (!dir || ::geteuid() != 0) return std::nullopt;
    struct stat st{};
    if (::stat(dir->path.c_str(), &st) != 0) return std::nullopt;
    std::string name;
    if (const passwd* pw = ::getpwuid(st.st_uid)) name = pw->pw_name;
    return foreign_state_refusal(::geteuid(), st.st_uid, name, dir->path, own_command_line());
}

}  // namespace certman::app
