#pragma once

#include "protocol.h"

#include <QUrl>

namespace hoist {

class ProtocolClient;

// Gives the upload jobs their ProtocolClient for a (server, protocol) pair, so that
// neither the queue nor the jobs name a concrete protocol.
//
// Contract: clientFor() never answers null; a client is created on first use, the
// same one is answered for the same pair, and it lives as long as the factory. All
// calls and all clients stay on the factory's thread.
class ProtocolClientFactory {
  public:
    virtual ~ProtocolClientFactory() = default;

    virtual ProtocolClient* clientFor(const QUrl& server, Protocol protocol) = 0;
    // False (with the reason) when the settings shared by every client cannot work
    // (an unreadable CA file).
    virtual bool isConfigured(QString* reason = nullptr) const = 0;
};

} // namespace hoist
