using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Postgres
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
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    PeerDeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Path = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Endpoint = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CandidatesTried = table.Column<List<string>>(type: "text[]", nullable: false),
                    WhyNotDirect = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    RttMilliseconds = table.Column<double>(type: "double precision", nullable: true),
                    RelayOverWebSocket = table.Column<bool>(type: "boolean", nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
