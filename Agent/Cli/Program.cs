Console.Error.WriteLine("hamachi: not implemented yet");
return 1;
