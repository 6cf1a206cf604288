//! JS exports of the filter language and Pocketflows matching.
