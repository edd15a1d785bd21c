using WaIdentity.IdP.Hosting;

return await IdpProgram.RunAsync(args);
