//! Runs (ad-hoc commands, scripts, key deployment; playbooks later): one row per run, one per
//! target host with its result, and the output in numbered chunks (not one row per line).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Runs {
    Table,
    Id,
    Kind,
    Status,
    Trigger,
    RerunOf,
    CreatedBy,
    CreatedByName,
    Title,
    Target,
    Parameters,
    Summary,
    QueuedAt,
    StartedAt,
    FinishedAt,
    Error,
}

#[derive(DeriveIden)]
enum RunHosts {
    Table,
    RunId,
    HostId,
    Position,
    HostName,
    Address,
    Port,
    Status,
    ExitCode,
    Error,
    Result,
    StartedAt,
    FinishedAt,
    OutputBytes,
}

#[derive(DeriveIden)]
enum RunOutput {
    Table,
    RunId,
    Seq,
    HostId,
    Stream,
    Data,
    At,
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Runs::Table)
                .col(ColumnDef::new(Runs::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Runs::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Runs::Status).string_len(16).not_null())
                .col(ColumnDef::new(Runs::Trigger).string_len(16).not_null())
                .col(ColumnDef::new(Runs::RerunOf).uuid().null())
                .col(ColumnDef::new(Runs::CreatedBy).uuid().null())
                .col(ColumnDef::new(Runs::CreatedByName).string().not_null())
                .col(ColumnDef::new(Runs::Title).string().not_null())
                .col(ColumnDef::new(Runs::Target).json().not_null())
                .col(ColumnDef::new(Runs::Parameters).json().not_null())
                .col(ColumnDef::new(Runs::Summary).json().not_null())
                .col(ts(Runs::QueuedAt).not_null())
                .col(ts(Runs::StartedAt).null())
                .col(ts(Runs::FinishedAt).null())
                .col(ColumnDef::new(Runs::Error).text().null())
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_runs_queued", Runs::QueuedAt),
            ("ix_runs_status", Runs::Status),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Runs::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(RunHosts::Table)
                .col(ColumnDef::new(RunHosts::RunId).uuid().not_null())
                .col(ColumnDef::new(RunHosts::HostId).uuid().not_null())
                .col(ColumnDef::new(RunHosts::Position).integer().not_null())
                .col(ColumnDef::new(RunHosts::HostName).string().not_null())
                .col(ColumnDef::new(RunHosts::Address).string().not_null())
                .col(ColumnDef::new(RunHosts::Port).integer().not_null())
                .col(ColumnDef::new(RunHosts::Status).string_len(16).not_null())
                .col(ColumnDef::new(RunHosts::ExitCode).integer().null())
                .col(ColumnDef::new(RunHosts::Error).text().null())
                .col(ColumnDef::new(RunHosts::Result).string_len(32).null())
                .col(ts(RunHosts::StartedAt).null())
                .col(ts(RunHosts::FinishedAt).null())
                .col(
                    ColumnDef::new(RunHosts::OutputBytes)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .primary_key(Index::create().col(RunHosts::RunId).col(RunHosts::HostId))
                .foreign_key(
                    ForeignKey::create()
                        .from(RunHosts::Table, RunHosts::RunId)
                        .to(Runs::Table, Runs::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RunOutput::Table)
                .col(ColumnDef::new(RunOutput::RunId).uuid().not_null())
                .col(ColumnDef::new(RunOutput::Seq).big_integer().not_null())
                .col(ColumnDef::new(RunOutput::HostId).uuid().null())
                .col(ColumnDef::new(RunOutput::Stream).string_len(8).not_null())
                .col(ColumnDef::new(RunOutput::Data).text().not_null())
                .col(ts(RunOutput::At).not_null())
                .primary_key(Index::create().col(RunOutput::RunId).col(RunOutput::Seq))
                .foreign_key(
                    ForeignKey::create()
                        .from(RunOutput::Table, RunOutput::RunId)
                        .to(Runs::Table, Runs::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RunOutput::Table.into_iden(),
            RunHosts::Table.into_iden(),
            Runs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
