"""tether's side of the blog: the shared schema built on `tether.models`."""

from tether import models

from .schema import define

_models = define(models, "diffblog")
Author = _models["Author"]
Profile = _models["Profile"]
Tag = _models["Tag"]
Post = _models["Post"]
Comment = _models["Comment"]
Group = _models["Group"]
Membership = _models["Membership"]
