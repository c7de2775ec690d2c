global using HamachiCloud.Protocol.Networks;
