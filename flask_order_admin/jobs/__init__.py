"""Big exports as background jobs: the exports log (``records``), the job (``work``), its consistent
read (``snapshot``), where files go (``storage``) and who runs it (``runners``: threads or RQ)."""
