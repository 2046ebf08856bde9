// The session: one coroutine per accepted connection that reads a request, answers it and repeats (keep-alive,
// pipelining), with the fast path measured for load-balancer traffic (see connection.hpp): a connection whose
// request is already queued and whose answer fits the send buffer is served with recv()/send() and never touches
// the reactor; the first step that would block promotes it to an Asio socket for the rest of its life.
//
// Contract (the behaviour server.hpp documents, per connection):
//  - deadlines are stamps in the session's live_session, enforced by the sweeper (session_list.hpp): the first
//    byte of a new connection and each request's head and body within header_timeout, idle_timeout between
//    keep-alive requests, 30 s for handling and writing an answer, 5 s for writing an error answer,
//  - the buffer never holds more than max_header_bytes + max_body_bytes; over a limit or malformed: one answer
//    (431, 413, 400, 501; see request_head.hpp), then lingering_close(),
//  - answers are preformatted bytes (response_bytes.hpp) in one write; the last answer of a connection is sent
//    with MSG_MORE so it leaves with the FIN; answers end the connection while stopping or paused at the cap,
//  - the handler's exceptions become 500 and are logged; the session never throws for I/O errors.
// Internal to src/net.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include "connection.hpp"
#include "session_list.hpp"

namespace certman::net {

// Counts the connection as accepted and spawns its session; exceptions escaping the session are logged.
void start_session(const boost::asio::any_io_executor& ex, connection conn, const std::shared_ptr<server_state>& st);

// The same, with the reference session (reference_session.cpp): plain Beast, no fast path.
void start_reference_session(const boost::asio::any_io_executor& ex, connection conn,
                             const std::shared_ptr<server_state>& st);

// Counts the connection as accepted, wakes the sweeper and spawns `session`; exceptions escaping it are logged.
void spawn_session(const boost::asio::any_io_executor& ex, boost::asio::awaitable<void> session, server_state& st);

// What the listener calls for each accepted connection: one of the two above.
using session_starter = void (*)(const boost::asio::any_io_executor&, connection, const std::shared_ptr<server_state>&);

}  // namespace certman::net
