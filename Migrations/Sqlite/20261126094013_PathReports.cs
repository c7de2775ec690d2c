using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PathReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PeerPaths",
                columns: table => new
                {
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeerDeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CandidatesTried = table.Column<string>(type: "TEXT", nullable: false),
                    WhyNotDirect = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    RttMilliseconds = table.Column<double>(type: "REAL", nullable: true),
                    RelayOverWebSocket = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PeerPaths", x => new { x.DeviceId, x.PeerDeviceId });
                    table.ForeignKey(
                        name: "FK_PeerPaths_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PeerPaths_Devices_PeerDeviceId",
                        column: x => x.PeerDeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PeerPaths_PeerDeviceId",
                table: "PeerPaths",
                column: "PeerDeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_PeerPaths_ReportedAt",
                table: "PeerPaths",
                column: "ReportedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PeerPaths");
        }
    }
}
