//! The classroom repository: what the classroom may ask of the database.

use super::codes::{JoinCode, ResumeCode};
use super::feedback::Feedback;
use super::model::*;
use crate::accounts::model::UserId;
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Storage of classes, assignments, questions, and the records kept of them; with
/// [`VisitsRepo`], storage of the students' visits.
#[async_trait]
pub trait ClassroomRepo: VisitsRepo {
    /// Creates a class owned by `teacher`.
    async fn create_class(&self, teacher: UserId, class: &ClassFields) -> RepoResult<ClassId>;
    /// The classes of `teacher`, newest first.
    async fn classes_of(&self, teacher: UserId) -> RepoResult<Vec<Class>>;
    /// One class.
    async fn class(&self, id: ClassId) -> RepoResult<Option<Class>>;
    /// Replaces what the teacher said about a class; false when there is none.
    async fn update_class(&self, id: ClassId, class: &ClassFields) -> RepoResult<bool>;
    /// Deletes a class with its assignments, visits and essays; false when there was none.
    async fn delete_class(&self, id: ClassId) -> RepoResult<bool>;

    /// Creates an assignment with its first questions, in one transaction. `Conflict` when
    /// the code is taken (the caller draws another).
    async fn create_assignment(
        &self,
        class: ClassId,
        code: &JoinCode,
        fields: &AssignmentFields,
        questions: &[NewQuestion],
    ) -> RepoResult<AssignmentId>;
    /// The assignments of a class, newest first.
    async fn assignments_of(&self, class: ClassId) -> RepoResult<Vec<Assignment>>;
    /// One assignment with its questions.
    async fn assignment(&self, id: AssignmentId) -> RepoResult<Option<Assignment>>;
    /// The assignment with this join code.
    async fn assignment_by_code(&self, code: &JoinCode) -> RepoResult<Option<Assignment>>;
    /// Changes what an assignment asks and when (instructions, essay, days), never what is
    /// visited.
    async fn update_assignment(
        &self,
        id: AssignmentId,
        fields: &AssignmentFields,
    ) -> RepoResult<()>;
    /// Closes an assignment early.
    async fn close_assignment(&self, id: AssignmentId, at: DateTime<Utc>) -> RepoResult<()>;
    /// Undoes an early close: the assignment runs to its last day again.
    async fn reopen_assignment(&self, id: AssignmentId) -> RepoResult<()>;
    /// Adds a question after the others of its stop.
    async fn add_question(
        &self,
        assignment: AssignmentId,
        question: &NewQuestion,
    ) -> RepoResult<QuestionId>;
    /// Removes a question (and its answers); false when it is not in this assignment.
    async fn delete_question(
        &self,
        assignment: AssignmentId,
        question: QuestionId,
    ) -> RepoResult<bool>;

    /// Assignments that still hold visits, with their closing times.
    async fn assignments_with_visits(&self) -> RepoResult<Vec<Expiring>>;
    /// Assignments that walk this exhibition, or list this item, with their closing times.
    async fn assignments_walking(&self, what: Walked<'_>) -> RepoResult<Vec<Expiring>>;
    /// Deletes the visits (answers, essays, device tokens) of an assignment, keeping only
    /// their number and the number of submitted essays on the assignment. Returns how many
    /// visits were deleted.
    async fn purge_visits(&self, assignment: AssignmentId) -> RepoResult<u64>;

    /// The school years that have assignments, newest first.
    async fn school_years(&self) -> RepoResult<Vec<i32>>;
    /// Counts per school and grade for a school year, by school and grade.
    async fn report(&self, school_year: i32) -> RepoResult<Vec<ReportRow>>;
    /// The progress of every assignment of `teacher`'s classes in `school_year`.
    async fn progress_of(&self, teacher: UserId, school_year: i32) -> RepoResult<Vec<Progress>>;
}

/// Storage of the students' visits: what each visitor opened, answered and wrote.
#[async_trait]
pub trait VisitsRepo: Send + Sync {
    /// Stores a new visit. `Conflict` when the resume code is taken in this assignment.
    async fn create_visit(
        &self,
        assignment: AssignmentId,
        visit: &NewVisit,
        at: DateTime<Utc>,
    ) -> RepoResult<VisitId>;
    /// The visit in `assignment` a device's token belongs to.
    async fn visit_by_token(
        &self,
        assignment: AssignmentId,
        token_hash: &str,
    ) -> RepoResult<Option<Visit>>;
    /// The visit in `assignment` with this resume code.
    async fn visit_by_resume(
        &self,
        assignment: AssignmentId,
        code: &ResumeCode,
    ) -> RepoResult<Option<Visit>>;
    /// Lets one more device (by its token's hash) continue a visit.
    async fn add_visit_token(&self, visit: VisitId, token_hash: &str) -> RepoResult<()>;
    /// One visit of an assignment.
    async fn visit(&self, assignment: AssignmentId, id: VisitId) -> RepoResult<Option<Visit>>;
    /// Every visit of an assignment, in joining order.
    async fn visits_of(&self, assignment: AssignmentId) -> RepoResult<Vec<Visit>>;
    /// Records that a stop was opened.
    async fn mark_stop_seen(&self, visit: VisitId, stop: i64) -> RepoResult<()>;
    /// Stores answers, replacing earlier answers to the same questions.
    async fn save_answers(
        &self,
        visit: VisitId,
        answers: &[(QuestionId, String)],
    ) -> RepoResult<()>;
    /// Stores the essay draft; false (nothing stored) once the essay is submitted.
    async fn save_essay(&self, visit: VisitId, essay: &str, at: DateTime<Utc>) -> RepoResult<bool>;
    /// Stores the essay and hands it in; false when it was handed in already.
    async fn submit_essay(
        &self,
        visit: VisitId,
        essay: &str,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Stores the teacher's comment and grade on the essay; with `hand_back`, also gives
    /// the submitted essay back to the student for changes. False when nothing was stored
    /// because, handing back, the essay is not (or no longer) submitted.
    async fn give_feedback(
        &self,
        visit: VisitId,
        feedback: &Feedback,
        hand_back: bool,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
}
