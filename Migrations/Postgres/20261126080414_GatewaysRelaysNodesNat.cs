using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GatewaysRelaysNodesNat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ConnectionNodeId",
                table: "Devices",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatReport",
                table: "Devices",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiNodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiNodes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GatewayRoutes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    NetworkId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Prefix = table.Column<string>(type: "character varying(49)", maxLength: 49, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatewayRoutes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GatewayRoutes_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GatewayRoutes_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Relays",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UdpEndpoints = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    StunEndpoints = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    WebSocketUrl = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Relays", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ConnectionNodeId",
                table: "Devices",
                column: "ConnectionNodeId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiNodes_HeartbeatAt",
                table: "ApiNodes",
                column: "HeartbeatAt");

            migrationBuilder.CreateIndex(
                name: "IX_GatewayRoutes_DeviceId",
                table: "GatewayRoutes",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_GatewayRoutes_NetworkId_DeviceId_Prefix",
                table: "GatewayRoutes",
                columns: new[] { "NetworkId", "DeviceId", "Prefix" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Relays_LastSeenAt",
                table: "Relays",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiNodes");

            migrationBuilder.DropTable(
                name: "GatewayRoutes");

            migrationBuilder.DropTable(
                name: "Relays");

            migrationBuilder.DropIndex(
                name: "IX_Devices_ConnectionNodeId",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ConnectionNodeId",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "NatReport",
                table: "Devices");
        }
    }
}
