// The haproxy deployer: makes a running HAProxy serve a stored certificate without a reload and without
// dropping a connection, through its runtime API (the stats socket, `level admin`; HAProxy >= 2.2, Debian 12
// ships 2.6; management.txt §9.3 "set ssl cert", "commit ssl cert", "show ssl cert"). One deploy() pass:
//   1. `show ssl cert <crt_path>`: HAProxy must already know the name (else an error, and no file is written);
//   2. write the PEM file at crt_path (fullchain then key, 0600, atomic) so a restart of HAProxy keeps it;
//      when HAProxy already serves the leaf's SHA-1 fingerprint, stop here (changed = the file was rewritten);
//   3. `set ssl cert <crt_path> <<` with that PEM, then `commit ssl cert <crt_path>` (`abort ssl cert` on a
//      failed commit, so no half-done transaction blocks the next pass);
//   4. `show ssl cert <crt_path>` again and check the serial and fingerprint HAProxy now reports.
// crt_path must be the name HAProxy loaded the certificate under (the `crt` file, or <dir>/<file> for a
// `crt <dir>`): HAProxy only replaces certificates its configuration references.
// One command per connection (non-interactive mode); connect, write and read each bounded by `timeout`.
// Errors: errc::io_error (socket missing or not permitted; PEM file not writable), errc::timeout,
// errc::protocol_error (HAProxy refused: its own text is in the failure's message), errc::parse_error (bundle).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include <string>

#include "certman/deploy/deployer.hpp"
#include "certman/deploy/haproxy_deployer_options.hpp"

namespace certman {
class blocking_pool;
}

namespace certman::deploy {

// Builds the deployer for one [[deployer]] kind = "haproxy" named `name` (deployer::name(), messages). Throws
// std::invalid_argument naming the deployer when socket or crt_path is empty, crt_path is not absolute or cannot be
// one word on HAProxy's command line (whitespace, ';', '\', '#', '<'), or the timeout is not positive: a startup
// misconfiguration. The crt_path write (fsyncs) runs on `blocking` (may be null: inline), which outlives the
// deployer's last deploy.
std::unique_ptr<deployer> make_haproxy_deployer(boost::asio::any_io_executor executor, std::string name,
                                                const haproxy_deployer_options& config, blocking_pool* blocking = nullptr);

}  // namespace certman::deploy
