#pragma once

#include <QAbstractTableModel>
#include <QSet>
#include <QTimer>

namespace hoist {

class UploadJob;
class UploadQueue;

// The table the views and the tray read: one row per job of an UploadQueue.
// DisplayRole gives text; the custom roles give raw values for delegates (a
// progress bar paints ConfirmedBytesRole / SizeRole). Job updates are coalesced on
// a refresh timer into one dataChanged per changed row, or one for the whole
// table when most rows changed, so a 10,000-row queue stays cheap.
class QueueModel final : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Name, Size, State, Confirmed, Speed, Eta, Error, FileId, ColumnCount };
    enum Role {
        StateRole = Qt::UserRole + 1, // hoist::JobState as int
        SizeRole,                     // qint64 bytes
        ConfirmedBytesRole,           // qint64, the server's uploadedBytes
        HashedBytesRole,              // qint64, while hashing
        SpeedRole,                    // double, confirmed bytes per second (EMA)
        EtaRole,                      // qint64 seconds, -1 when unknown
        ErrorRole,                    // QString
        FileIdRole,                   // QString
        PathRole,                     // QString, the local file
    };

    explicit QueueModel(UploadQueue& queue, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // How often coalesced changes reach the views.
    void setRefreshInterval(int milliseconds);
    // Emits the pending changes now.
    void flush();

  private:
    QVariant display(const UploadJob& job, int column) const;
    void markDirty(const UploadJob* job);

    UploadQueue& m_queue;
    QSet<const UploadJob*> m_dirty;
    QTimer m_refresh;
};

} // namespace hoist
