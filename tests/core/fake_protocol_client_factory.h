#pragma once

#include "fake_protocol_client.h"

#include "protocol_client_factory.h"

#include <QList>
#include <QPair>

// The factory seam's fake: one FakeProtocolClient for every (server, protocol), and
// a log of what was asked for.
class FakeProtocolClientFactory final : public hoist::ProtocolClientFactory {
  public:
    FakeProtocolClient client;
    QList<QPair<QUrl, hoist::Protocol>> requests;

    hoist::ProtocolClient* clientFor(const QUrl& server, hoist::Protocol protocol) override {
        requests.append({server, protocol});
        return &client;
    }
    bool isConfigured(QString* reason) const override {
        if (reason)
            reason->clear();
        return true;
    }
};
