using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceInfoAndDeviceCodeRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgentVersion",
                table: "Devices",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Os",
                table: "Devices",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeviceCodeRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NormalizedCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeviceOs = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RequestedFrom = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceCodeRequests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceCodeRequests_ExpiresAt",
                table: "DeviceCodeRequests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_DeviceCodeRequests_NormalizedCode",
                table: "DeviceCodeRequests",
                column: "NormalizedCode",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceCodeRequests");

            migrationBuilder.DropColumn(
                name: "AgentVersion",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "Os",
                table: "Devices");
        }
    }
}
