#include "transport.h"

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>

namespace hoist {

namespace {
TransportStep stepOf(ssize_t n, short waitFor) {
    if (n > 0)
        return {n, 0};
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return {0, waitFor};
    return {0, 0};
}
} // namespace

TransportStep PlainTransport::receive(char* data, size_t size) {
    return stepOf(::recv(m_socket, data, size, MSG_DONTWAIT), POLLIN);
}

TransportStep PlainTransport::send(const char* data, size_t size) {
    return stepOf(::send(m_socket, data, size, MSG_DONTWAIT | MSG_NOSIGNAL), POLLOUT);
}

} // namespace hoist
