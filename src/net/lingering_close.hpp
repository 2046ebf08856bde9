// Closing a connection that may still be sending: after an error answer (an oversized header or body) or a
// `Connection: close` request followed by pipelined bytes, closing with unread data would send a RST that can
// destroy our answer in the client's receive queue (RFC 9112 §9.6). lingering_close() sends our FIN, then reads
// and discards for at most 1 s and 1 MiB, until the client closes too.
//
// It must cost next to nothing: a client that reconnects as soon as it sees our answer leaves many lingering
// connections behind. So the connection's buffer is released first and the bytes are read into one sink shared
// by all lingering connections (nothing reads them; one io thread), as nginx lingers in a fixed buffer.
// The caller closes the connection afterwards. Internal to src/net.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include "connection.hpp"
#include "session_list.hpp"

namespace certman::net {

// The connection's Asio socket, for a step that has to wait; registers it with the sweeper. False if the
// descriptor could not be registered with the reactor (the session ends).
inline bool promote(connection& conn, live_session& self) {
    if (conn.promote()) return false;
    self.socket = &conn.socket();
    return true;
}

// Contract: the response has been written; `buffer` is cleared and its memory released; the 1 s deadline is armed
// in `self` (the sweeper ends the wait). Never throws for I/O errors: any error ends the linger.
boost::asio::awaitable<void> lingering_close(connection& conn, live_session& self, boost::beast::flat_buffer& buffer);

}  // namespace certman::net
