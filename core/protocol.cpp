#include "protocol.h"

namespace hoist {

QString protocolName(Protocol protocol) {
    switch (protocol) {
    case Protocol::Native:
        return QStringLiteral("native");
    }
    return {};
}

std::optional<Protocol> protocolFromName(const QString& name) {
    if (name == protocolName(Protocol::Native))
        return Protocol::Native;
    return std::nullopt;
}

} // namespace hoist
