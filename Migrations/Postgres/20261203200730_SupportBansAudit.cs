using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HamachiCloud.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupportBansAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.AddColumn<Guid>(
                name: "NetworkId",
                table: "AuditEvents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DisabledAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "AspNetUsers",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Bans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Cidr = table.Column<string>(type: "character varying(49)", maxLength: 49, nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Reason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    StaffNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Scope = table.Column<int>(type: "integer", nullable: false),
                    ExemptPaidAccounts = table.Column<bool>(type: "boolean", nullable: false),
                    ExemptAccountsOlderThanDays = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: true),
                    LiftedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LiftedById = table.Column<Guid>(type: "uuid", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HitCount = table.Column<long>(type: "bigint", nullable: false),
                    LastHitAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bans", x => x.Id);
                });

            // The range bans carry over: every old ban is a range ban of every scope, its last change its creation.
            migrationBuilder.Sql(
                "INSERT INTO \"Bans\" (\"Id\", \"Kind\", \"Cidr\", \"Reason\", \"Scope\", \"ExemptPaidAccounts\", \"CreatedAt\", \"ExpiresAt\", \"CreatedById\", \"UpdatedAt\", \"HitCount\") " +
                "SELECT \"Id\", 0, \"Cidr\", \"Reason\", 7, false, \"CreatedAt\", \"ExpiresAt\", \"CreatedById\", \"CreatedAt\", 0 FROM \"IpRangeBans\"");

            migrationBuilder.DropTable(
                name: "IpRangeBans");

            migrationBuilder.CreateTable(
                name: "RelayUsageDays",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NetworkId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelayUsageDays", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorUserId_At",
                table: "AuditEvents",
                columns: new[] { "ActorUserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_NetworkId_At",
                table: "AuditEvents",
                columns: new[] { "NetworkId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Bans_Cidr",
                table: "Bans",
                column: "Cidr");

            migrationBuilder.CreateIndex(
                name: "IX_Bans_DeviceId",
                table: "Bans",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_Bans_UpdatedAt",
                table: "Bans",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Bans_UserId",
                table: "Bans",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_RelayUsageDays_NetworkId_Day",
                table: "RelayUsageDays",
                columns: new[] { "NetworkId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RelayUsageDays_OwnerUserId_Day",
                table: "RelayUsageDays",
                columns: new[] { "OwnerUserId", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Bans");

            migrationBuilder.DropTable(
                name: "RelayUsageDays");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ActorUserId_At",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_NetworkId_At",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "NetworkId",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "DisabledReason",
                table: "AspNetUsers");

            migrationBuilder.CreateTable(
                name: "IpRangeBans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Cidr = table.Column<string>(type: "character varying(49)", maxLength: 49, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpRangeBans", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IpRangeBans_Cidr",
                table: "IpRangeBans",
                column: "Cidr");
        }
    }
}
