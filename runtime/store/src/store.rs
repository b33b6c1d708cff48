//! [`Store`]: every table at once.

use crate::activities::Activities;
use crate::definitions::Definitions;
use crate::executions::Executions;
use crate::express_starts::ExpressStarts;
use crate::history::History;
use crate::machines::StateMachines;
use crate::modules::Modules;
use crate::timers::Timers;
use crate::tokens::TaskTokens;

/// Every table of the store, usable as `Arc<dyn Store>` from many threads.
/// Implemented by [`SledStore`](crate::SledStore) and
/// [`MemoryStore`](crate::MemoryStore) (and by anything that implements all
/// the table traits).
pub trait Store:
    StateMachines
    + Executions
    + History
    + Timers
    + TaskTokens
    + Activities
    + Modules
    + ExpressStarts
    + Definitions
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: StateMachines
        + Executions
        + History
        + Timers
        + TaskTokens
        + Activities
        + Modules
        + ExpressStarts
        + Definitions
        + Send
        + Sync
{
}
