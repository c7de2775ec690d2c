namespace HamachiCloud.Api.Contracts;
