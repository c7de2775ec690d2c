global using HamachiCloud.Api.Contracts;
global using HamachiCloud.Api.Errors;
global using HamachiCloud.Data;
global using HamachiCloud.Data.Entities;
global using HamachiCloud.Protocol.Networks;
global using Microsoft.EntityFrameworkCore;
