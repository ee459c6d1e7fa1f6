#include "protocol.h"

namespace hoist {

QString protocolName(Protocol protocol) {
    switch (protocol) {
    case Protocol::Native:
        return QStringLiteral("native");
    case Protocol::Tus:
        return QStringLiteral("tus");
    }
    return {};
}

std::optional<Protocol> protocolFromName(const QString& name) {
    for (const Protocol protocol : {Protocol::Native, Protocol::Tus}) {
        if (name == protocolName(protocol))
            return protocol;
    }
    return std::nullopt;
}

} // namespace hoist
