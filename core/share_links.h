#pragma once

#include "job_record.h"
#include "protocol_client.h"

#include <QObject>

#include <optional>

namespace hoist {

class ProtocolClientFactory;
class UploadQueue;

// Share links of uploaded files (docs/protocol.md, "Share links"): which jobs can be
// shared, and the request to their server. The window's "Copy share link" and
// `hoist share` only ask and show what this answers.
class ShareLinks final : public QObject {
    Q_OBJECT
  public:
    ShareLinks(UploadQueue& queue, ProtocolClientFactory& clients, QObject* parent = nullptr);

    // A finished job whose server named the file (a tus server names none).
    static bool canShare(const JobRecord& record);
    bool canShare(int row) const;

    // Asks the server of the job at `row` for a new link; answers with linkCreated or
    // linkFailed (the job may be gone by then: both carry the file's path).
    void request(int row, std::optional<qint64> expiresIn = std::nullopt);
    // A new link of the file `fileId` on `server`, over hoist's own protocol, with a
    // client of `clients` (the command line has no queue).
    static QCoro::Task<Result<ShareLink>> create(ProtocolClientFactory& clients, QUrl server,
                                                 QString fileId, std::optional<qint64> expiresIn);

  signals:
    void linkCreated(const QString& path, const hoist::ShareLink& link);
    void linkFailed(const QString& path, const QString& reason);

  private:
    UploadQueue& m_queue;
    ProtocolClientFactory& m_clients;
};

} // namespace hoist
